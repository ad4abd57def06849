import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import llmbench.gatling.sweep.LlmSweep;

/**
 * The seed's medium profile: prompts of exactly 200 tokens, 250 tokens out, at 32, 64 and 128 users,
 * each level drained before the next. {@code ./mvnw gatling:test -Dgatling.simulationClass=MediumLoad}.
 */
public class MediumLoad extends Simulation {
  LlmSweep medium = LlmSweep.profile("medium", 200, 250);      // the run's options may change any of it

  ScenarioBuilder generate = scenario("medium")
      .feed(medium.requests())                                  // each level's requests, built before it starts
      .exec(llm("generate").post(medium::path).body(ByteArrayBody(medium::body)));

  {
    setUp(medium.levels(generate, 32, 64, 128)).protocols(medium.protocol());
  }
}
