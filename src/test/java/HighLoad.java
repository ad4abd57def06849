import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import llmbench.gatling.sweep.LlmSweep;

/**
 * The seed's high profile: prompts as long as the server's context allows (max_model_len − 2048
 * tokens), 2048 tokens out, at 1, 5 and 10 users, each level drained before the next.
 * {@code ./mvnw gatling:test -Dgatling.simulationClass=HighLoad -Dllm.url=http://localhost:8000}.
 */
public class HighLoad extends Simulation {
  LlmSweep high = LlmSweep.contextFilling("high", 2048);       // the run's options may change any of it

  ScenarioBuilder generate = scenario("high")
      .feed(high.requests())                                    // each level's requests, built before it starts
      .exec(llm("generate").post(high::path).body(ByteArrayBody(high::body)));

  {
    setUp(high.levels(generate, 1, 5, 10)).protocols(high.protocol());
  }
}
