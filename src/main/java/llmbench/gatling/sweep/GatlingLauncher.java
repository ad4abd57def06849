package llmbench.gatling.sweep;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import llmbench.run.ProfileJob;
import llmbench.run.ProfileOutcome;

/** Runs a profile's simulation in this JVM (Gatling's engine, its report) and returns how it ended. */
public final class GatlingLauncher {
  private GatlingLauncher() {}

  public static ProfileOutcome run(ProfileJob job) {
    return run(job, job.simulationName());
  }

  /**
   * The job as a simulation of another name (its run folder's): a test's own profile. The seed's
   * profiles are the simulations of {@code src/test/java} ({@code LowLoad}...), the same classes
   * {@code mvn gatling:test} runs (the build compiles them into the project's jar too).
   */
  public static ProfileOutcome run(ProfileJob job, String simulation) {
    HandOver.give(job);
    int status;
    try {
      status = gatling(simulation, job.config().output().gatlingResults(), job.config().output().gatlingConsole());
    } catch (Exception e) { // Gatling rethrows what it met, checked ones too (a simulation's constructor's)
      // e.g. no report for a simulation that sent nothing: the sweep goes on with the next profile
      System.err.println("error: Gatling stopped: " + (e.getCause() != null ? e.getCause() : e.getMessage()));
      status = 1;
    } catch (AssertionError e) {
      System.err.println("error: Gatling stopped: " + e.getMessage());
      status = 1;
    }
    ProfileOutcome outcome = HandOver.outcome();
    if (outcome != null) {
      return outcome;
    }
    return new ProfileOutcome.Failed("Gatling exited with status " + status + " before the simulation ended");
  }

  /**
   * One Gatling run of {@code simulationClass}; its status, or what Gatling threw. Gatling reads its
   * settings (gatling.conf and {@code -Dgatling.*}) through Typesafe Config, cached per JVM: the
   * console writer is set for this run only.
   */
  static int gatling(String simulationClass, Path results, boolean console, String... more) {
    String writers = System.getProperty("gatling.data.writers.0");
    try {
      if (!console) {
        System.setProperty("gatling.data.writers.0", "file"); // Gatling's writers without its console one
      }
      ConfigFactory.invalidateCaches();
      String[] args = new String[4 + more.length];
      System.arraycopy(new String[] {"-s", simulationClass, "-rf", results.toString()}, 0, args, 0, 4);
      System.arraycopy(more, 0, args, 4, more.length);
      return io.gatling.app.Gatling$.MODULE$.fromArgs(args);
    } finally {
      if (writers == null) {
        System.clearProperty("gatling.data.writers.0");
      } else {
        System.setProperty("gatling.data.writers.0", writers);
      }
      ConfigFactory.invalidateCaches();
    }
  }
}
