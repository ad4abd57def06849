import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import llmbench.gatling.sweep.LlmSweep;

/**
 * Vision profile 1: a 50-token question and one fresh noise image per request ({@code -Dllm.imageWidth},
 * {@code -Dllm.imageHeight}, {@code -Dllm.imageFormat}), 300 tokens out, at 8 to 128 users.
 * {@code ./mvnw gatling:test -Dgatling.simulationClass=VisionProfile1}, or {@code ./run_vision_test.sh 512 512}.
 */
public class VisionProfile1 extends Simulation {
  LlmSweep vision1 = LlmSweep.vision("vision1", 50, 300);      // the run's options may change any of it

  ScenarioBuilder generate = scenario("vision1")
      .feed(vision1.requests())                                 // each level's requests and images, built before it starts
      .exec(llm("generate").post(vision1::path).body(ByteArrayBody(vision1::body)));

  {
    setUp(vision1.levels(generate, 8, 16, 32, 64, 128)).protocols(vision1.protocol());
  }
}
