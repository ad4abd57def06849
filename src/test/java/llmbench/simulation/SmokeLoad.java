package llmbench.simulation;

import java.util.List;
import llmbench.gatling.LlmSimulation;
import llmbench.workload.Profile;

/** A small profile for the integration tests: lengths and levels come from their options. */
public class SmokeLoad extends LlmSimulation {
  public static final Profile PROFILE = new Profile("smoke", 200, 100, List.of(32), false);

  public SmokeLoad() {
    super(PROFILE);
  }

  /**
   * This simulation in a JVM of its own (a fresh client), as {@code mvn gatling:test} runs one:
   * {@code -Dllm.*} as given, Gatling's results into {@code args[0]}.
   */
  public static void main(String[] args) {
    System.exit(io.gatling.app.Gatling$.MODULE$.fromArgs(new String[] {"-s", SmokeLoad.class.getName(), "-rf", args[0]}));
  }
}
