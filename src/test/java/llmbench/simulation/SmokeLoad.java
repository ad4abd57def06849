package llmbench.simulation;

import java.util.List;
import llmbench.workload.Profile;

/** A small profile for the integration test: lengths and levels come from {@code -Dllm.*}. */
public class SmokeLoad extends ProfileSimulation {
  public SmokeLoad() {
    super(new Profile("smoke", 200, 100, List.of(32), false));
  }

  /** This simulation in a JVM of its own (a fresh client): {@code -Dllm.*} as given, results into {@code args[0]}. */
  public static void main(String[] args) {
    System.exit(RunTest.gatling(SmokeLoad.class.getName(), java.nio.file.Path.of(args[0])));
  }
}
