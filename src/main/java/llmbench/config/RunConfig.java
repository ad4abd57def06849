package llmbench.config;

import llmbench.stop.StopRules;
import llmbench.workload.LoadSpec;
import llmbench.workload.Profile;
import llmbench.workload.Workload;
import llmbench.workload.WorkloadSpec;

/**
 * Everything a run is told, typed from the option to the request: built once from the command line
 * ({@link RunOptions}) or, for {@code mvn gatling:test}, from {@code -Dllm.*} ({@link LlmProperties}),
 * checked as a whole when made, and handed to the simulation inside the JVM.
 */
public record RunConfig(ServerConfig server, WorkloadSpec workload, LoadSpec load, OutputConfig output,
    ClientConfig client, MockSettings mock, Selection selection, ShardConfig shards, Repeats repeats,
    StopRules stops) {

  public RunConfig {
    if (workload.turns() > 1 && load.open()) {
      throw new IllegalArgumentException("--turns runs chat sessions in concurrency levels with random prompts: "
          + "leave out --request-rate");
    }
    if (!shards.shard().whole() && server.mock()) {
      throw new IllegalArgumentException("--shard: every shard would start its own built-in mock; start one with "
          + "./mock_server.sh and give its --url to every shard");
    }
    if (load.maxConcurrency() != null && load.maxConcurrency() < shards.shard().count()) {
      throw new IllegalArgumentException("--max-concurrency " + load.maxConcurrency() + " is fewer than the "
          + shards.shard().count() + " shards: each needs one user at least");
    }
    if (repeats.repeated() && !shards.shard().whole()) {
      throw new IllegalArgumentException("--shard runs its levels once, in step with the other shards: leave out --repeat");
    }
    if (repeats.repeated() && selection.capacity() != null) {
      throw new IllegalArgumentException("--find-capacity runs each probe once: leave out --repeat");
    }
    if (stops.any() && !shards.shard().whole()) {
      throw new IllegalArgumentException("--shard runs every level in step with the other shards: leave out "
          + "--max-error-rate, --max-duration and --stop-on-saturation");
    }
    if (!shards.shard().whole() && selection.capacity() != null) {
      throw new IllegalArgumentException("--shard runs the levels it is given; --find-capacity is not sharded");
    }
  }

  /** One profile's run: what the profile sets over this run's settings. */
  public RunConfig forProfile(Workload.Entry e) {
    return new RunConfig(server, workload.with(e.settings()), load.with(e.settings()), output, client, mock, selection, shards, repeats, stops);
  }

  /** The profile's shape with this run's lengths and levels over its own. */
  public Profile shape(Profile profile) {
    return load.apply(workload.apply(profile));
  }

  public RunConfig with(ServerConfig s) {
    return new RunConfig(s, workload, load, output, client, mock, selection, shards, repeats, stops);
  }

  public RunConfig with(WorkloadSpec w) {
    return new RunConfig(server, w, load, output, client, mock, selection, shards, repeats, stops);
  }

  public RunConfig with(LoadSpec l) {
    return new RunConfig(server, workload, l, output, client, mock, selection, shards, repeats, stops);
  }

  public RunConfig with(OutputConfig o) {
    return new RunConfig(server, workload, load, o, client, mock, selection, shards, repeats, stops);
  }

  public RunConfig with(Repeats r) {
    return new RunConfig(server, workload, load, output, client, mock, selection, shards, r, stops);
  }

  public RunConfig with(StopRules s) {
    return new RunConfig(server, workload, load, output, client, mock, selection, shards, repeats, s);
  }

  public RunConfig with(ClientConfig c) {
    return new RunConfig(server, workload, load, output, c, mock, selection, shards, repeats, stops);
  }
}
