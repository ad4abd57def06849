package llmbench.simulation;

import java.nio.file.Path;
import llmbench.cli.Cli;
import llmbench.sweep.Sweep;

/** {@code ./run_test.sh}'s entry point: the sweep, running each profile's simulation in this JVM. */
public final class RunTest {
  private RunTest() {}

  public static void main(String[] args) {
    System.exit(Cli.run(new Sweep(RunTest::gatling), args));
  }

  public static int gatling(String simulationClass, Path results) {
    try {
      return io.gatling.app.Gatling$.MODULE$.fromArgs(new String[] {
          "-s", simulationClass, "-rf", results.toString()});
    } catch (RuntimeException | AssertionError e) {
      // e.g. no report for a simulation that sent nothing: the sweep goes on with the next profile
      System.err.println("error: Gatling stopped: " + e.getMessage());
      return 1;
    }
  }
}
