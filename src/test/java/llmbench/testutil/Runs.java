package llmbench.testutil;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import llmbench.config.RunConfig;
import llmbench.config.RunOptions;
import llmbench.gatling.sweep.GatlingLauncher;
import llmbench.run.ProfileJob;
import llmbench.run.ProfileOutcome;
import llmbench.simulation.SmokeLoad;
import llmbench.workload.Profile;
import llmbench.workload.ProfileSettings;
import llmbench.workload.Workload;
import picocli.CommandLine;

/**
 * One profile's simulation in this JVM, as the scripts launch it: options (named as on the command
 * line) → {@link RunConfig} → Gatling, through the same hand-over; the outcome, or 0 / 1.
 */
public final class Runs {
  private static final Set<String> FLAGS = Set.of("--mock", "--flush-cache", "--no-client-warmup", "--no-min-tokens",
      "--gatling-console");

  private Runs() {}

  /** {@link SmokeLoad} (its own profile, lengths and levels from the options); 0 when it completed. */
  public static int smoke(Map<String, String> options) {
    return status(run(SmokeLoad.PROFILE, SmokeLoad.class, false, options));
  }

  public static int status(ProfileOutcome o) {
    if (o instanceof ProfileOutcome.Completed) {
      return 0;
    }
    System.out.println("outcome: " + o);
    return 1;
  }

  public static ProfileOutcome run(Profile profile, Class<?> simulation, boolean vision, Map<String, String> options) {
    RunConfig config = config(vision, options);
    ProfileJob job = new ProfileJob(config, new Workload.Entry(profile, ProfileSettings.NONE), null, r -> { });
    return GatlingLauncher.run(job, simulation.getName());
  }

  /**
   * A simulation as {@code mvn gatling:test} runs it: Gatling's own launcher, no hand-over, the
   * settings as {@code -Dllm.*} system properties for the run's length; Gatling's status.
   */
  public static int gatlingTest(String simulationClass, Path results, Map<String, String> properties) {
    properties.forEach(System::setProperty);
    try {
      com.typesafe.config.ConfigFactory.invalidateCaches();
      return io.gatling.app.Gatling$.MODULE$.fromArgs(new String[] {"-s", simulationClass, "-rf", results.toString()});
    } catch (Exception e) { // Gatling rethrows what a simulation's constructor threw, wrapped
      System.out.println("Gatling stopped: " + e + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
      return -1;
    } finally {
      properties.keySet().forEach(System::clearProperty);
    }
  }

  /** The options as the scripts parse them, with the scripts' console (a live line per level). */
  public static RunConfig config(boolean vision, Map<String, String> options) {
    RunOptions o = new RunOptions();
    CommandLine.ParseResult given = new CommandLine(o).parseArgs(args(options));
    return o.toConfig(given, vision, false, Map.of());
  }

  /** {@code --mock=true} is the flag alone, {@code =false} none; every other option takes its value. */
  public static String[] args(Map<String, String> options) {
    List<String> a = new ArrayList<>();
    options.forEach((k, v) -> {
      if (FLAGS.contains(k)) {
        if (Boolean.parseBoolean(v)) {
          a.add(k);
        }
      } else {
        a.add(k);
        a.add(v);
      }
    });
    return a.toArray(String[]::new);
  }
}
