package llmbench.run;

import java.util.function.Consumer;
import llmbench.config.RunConfig;
import llmbench.distributed.Barrier;
import llmbench.server.ServerFacts;
import llmbench.workload.Workload;

/**
 * One profile to run as one Gatling simulation: the run's settings, the profile with what it sets,
 * the server as the sweep found it (null: the simulation finds it, e.g. under {@code mvn gatling:test}),
 * who is told of the run once it started (the sweep's Ctrl-C keeps its records), and the sweep's
 * barrier when it is one shard of many (null: the run opens its own).
 */
public record ProfileJob(RunConfig config, Workload.Entry entry, ServerFacts server, Consumer<ProfileRun> started,
    Barrier barrier) {

  /** A job whose run opens its own barrier when sharded (mvn gatling:test, one profile). */
  public ProfileJob(RunConfig config, Workload.Entry entry, ServerFacts server, Consumer<ProfileRun> started) {
    this(config, entry, server, started, null);
  }

  /** The profile's own settings over the run's. */
  public RunConfig effective() {
    return config.forProfile(entry);
  }

  /** The Gatling simulation whose name its run folder and report carry ({@code lowload-...}). */
  public String simulationName() {
    String p = entry.profile().name();
    if (config.selection().workloadFile() != null) {
      return "WorkloadLoad";
    }
    return p.startsWith("vision") ? "VisionProfile" + p.substring("vision".length())
        : Character.toUpperCase(p.charAt(0)) + p.substring(1) + "Load";
  }
}
