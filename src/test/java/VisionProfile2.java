import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import llmbench.gatling.sweep.LlmSweep;

/**
 * Vision profile 2: a 100-token question and one fresh noise image per request, 100 tokens out, at
 * 1, 8, 16 and 32 users. {@code ./mvnw gatling:test -Dgatling.simulationClass=VisionProfile2}.
 */
public class VisionProfile2 extends Simulation {
  LlmSweep vision2 = LlmSweep.vision("vision2", 100, 100);     // the run's options may change any of it

  ScenarioBuilder generate = scenario("vision2")
      .feed(vision2.requests())                                 // each level's requests and images, built before it starts
      .exec(llm("generate").post(vision2::path).body(ByteArrayBody(vision2::body)));

  {
    setUp(vision2.levels(generate, 1, 8, 16, 32)).protocols(vision2.protocol());
  }
}
