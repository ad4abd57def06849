package llmbench.cli;

import java.util.Arrays;
import llmbench.gatling.sweep.GatlingLauncher;

/** {@code ./run_test.sh} and {@code ./run_vision_test.sh --vision}: the sweep, each profile's simulation in this JVM. */
public final class RunTestMain {
  private RunTestMain() {}

  public static void main(String[] args) {
    boolean vision = args.length > 0 && args[0].equals("--vision");
    String[] rest = vision ? Arrays.copyOfRange(args, 1, args.length) : args;
    SweepCommand sweep = new SweepCommand(GatlingLauncher::run, vision);
    System.exit(Cli.runNamed(sweep, sweep.commandName(), rest));
  }
}
