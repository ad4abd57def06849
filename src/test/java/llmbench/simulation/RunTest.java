package llmbench.simulation;

import java.nio.file.Path;
import llmbench.cli.Cli;
import llmbench.sweep.Sweep;

/** {@code ./run_test.sh}'s entry point: the sweep, running each profile's simulation in this JVM. */
public final class RunTest {
  private RunTest() {}

  public static void main(String[] args) {
    boolean vision = args.length > 0 && args[0].equals("--vision");
    String[] rest = vision ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
    Sweep sweep = new Sweep(RunTest::gatling, vision);
    System.exit(Cli.runNamed(sweep, sweep.commandName(), rest));
  }

  /**
   * Runs one simulation in this JVM with the given {@code -Dllm.*} properties set for its duration
   * (tests and benchmarks).
   */
  public static int gatling(String simulationClass, Path results, java.util.Map<String, String> props) {
    props.forEach(System::setProperty);
    try {
      return gatling(simulationClass, results);
    } finally {
      props.keySet().forEach(System::clearProperty);
    }
  }

  public static int gatling(String simulationClass, Path results) {
    try {
      com.typesafe.config.ConfigFactory.invalidateCaches(); // Gatling reads -Dgatling.* through Typesafe Config
      return io.gatling.app.Gatling$.MODULE$.fromArgs(new String[] {
          "-s", simulationClass, "-rf", results.toString()});
    } catch (RuntimeException | AssertionError e) {
      // e.g. no report for a simulation that sent nothing: the sweep goes on with the next profile
      System.err.println("error: Gatling stopped: " + e.getMessage());
      return 1;
    }
  }
}
