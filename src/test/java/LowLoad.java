import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import llmbench.gatling.sweep.LlmSweep;

/**
 * The seed's low profile: prompts of exactly 100 tokens, 150 tokens out, at 1, 4, 8, 16 and 32 users,
 * each level drained before the next. {@code ./mvnw gatling:test -Dgatling.simulationClass=LowLoad}
 * ({@code -Dllm.*} options), or {@code ./run_test.sh --profiles low}.
 */
public class LowLoad extends Simulation {
  LlmSweep low = LlmSweep.profile("low", 100, 150);             // the run's options may change any of it

  ScenarioBuilder generate = scenario("low")
      .feed(low.requests())                                     // each level's requests, built before it starts
      .exec(llm("generate").post(low::path).body(ByteArrayBody(low::body)));

  {
    setUp(low.levels(generate, 1, 4, 8, 16, 32)).protocols(low.protocol());
  }
}
