package llmbench.simulation;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.List;
import llmbench.gatling.sweep.LlmSweep;
import llmbench.workload.Profile;

/** A small profile for the integration tests, in the same DSL as the seed's: lengths and levels come from their options. */
public class SmokeLoad extends Simulation {
  public static final Profile PROFILE = new Profile("smoke", 200, 100, List.of(32), false);

  LlmSweep smoke = LlmSweep.of(PROFILE);
  ScenarioBuilder generate = scenario("smoke")
      .feed(smoke.requests())
      .exec(llm("generate").post(smoke::path).body(ByteArrayBody(smoke::body)));

  {
    setUp(smoke.levels(generate)).protocols(smoke.protocol());
  }

  /**
   * This simulation in a JVM of its own (a fresh client), as {@code mvn gatling:test} runs one:
   * {@code -Dllm.*} as given, Gatling's results into {@code args[0]}.
   */
  public static void main(String[] args) {
    System.exit(io.gatling.app.Gatling$.MODULE$.fromArgs(new String[] {"-s", SmokeLoad.class.getName(), "-rf", args[0]}));
  }
}
