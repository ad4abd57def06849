package llmbench.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import llmbench.workload.Shard;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the shard options become in the run's configuration. */
class ShardOptionsTest {
  private static RunConfig config(Map<String, String> env, String... args) {
    RunOptions o = new RunOptions();
    CommandLine.ParseResult given = new CommandLine(o).parseArgs(args);
    return o.toConfig(given, false, true, env);
  }

  @Test
  void shardsOnOneMachineGetGatlingFoldersOfTheirOwn() {
    // Gatling names a run folder by its start in ms: two shards started together would share one
    RunConfig one = config(Map.of(), "--url", "http://h:8000", "--shard", "1/4", "--seed", "7", "--coordinator", "h:7070");
    assertEquals(Path.of("target", "gatling", "shard-1"), one.output().gatlingResults());
    RunConfig given = config(Map.of(), "--url", "http://h:8000", "--shard", "1/4", "--seed", "7", "--coordinator",
        "h:7070", "--gatling-results", "g1");
    assertEquals(Path.of("g1"), given.output().gatlingResults(), "a folder the user gave is kept");
    RunConfig whole = config(Map.of(), "--url", "http://h:8000");
    assertEquals(Path.of("target", "gatling"), whole.output().gatlingResults());
  }

  @Test
  void theEnginesIndexComesFromItsEnvironment() {
    RunConfig k8s = config(Map.of("JOB_COMPLETION_INDEX", "3"), "--url", "http://h:8000", "--shards", "4", "--seed", "7",
        "--coordinator", "bench-0.bench:7070");
    assertEquals(new Shard(3, 4), k8s.shards().shard());
    assertEquals("bench-0.bench", k8s.shards().coordinatorHost());
    assertEquals(7070, k8s.shards().coordinatorPort());
  }
}
