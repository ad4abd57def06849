package llmbench.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import llmbench.cli.Cli;
import llmbench.cli.MergeMain;
import llmbench.report.RunInfo;
import llmbench.trace.ShardTimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the merge refuses, and its clock arithmetic, by hand. */
class ShardMergeTest {
  private static ShardTimes times(int index, long seed, String sweep, long anchorEpochNs, long anchorNano, long offsetNs) {
    return new ShardTimes(index, 2, seed, sweep, anchorEpochNs, anchorNano,
        List.of(new ShardTimes.Meeting("low c001 start", offsetNs, 2_000_000, 5, List.of(0, 1), null),
            new ShardTimes.Meeting("low c001 end", offsetNs + 9_000_000, 40_000_000, 5, List.of(0, 1), null)));
  }

  private static Path shard(Path dir, String name, ShardTimes t, String url) throws Exception {
    Path run = Files.createDirectories(dir.resolve(name).resolve("gatling").resolve("lowload-1"));
    new RunInfo("low", "LowLoad", url, "m", "tok", "vllm", 4096, 1L, List.of("ttft"), List.of(99.0), null, List.of(),
        Map.of(), Map.of(), null, t).write(run.resolve(RunInfo.FILE_NAME));
    Files.writeString(run.resolve("token-timings.jsonl"), "");
    return dir.resolve(name);
  }

  @Test
  void aShardsStampsGoOnShardZerosClockByItsAnchorAndTheOffsetOfTheShortestRoundTrip() {
    // shard 0: wall = 1_000_000 + (nano - 500); shard 1: wall = 2_000_000 + (nano - 100), 3 ms behind shard 0
    ShardTimes zero = times(0, 1, "s", 1_000_000, 500, 0);
    ShardTimes one = times(1, 1, "s", 2_000_000, 100, 3_000_000);
    assertEquals(3_000_000, one.offsetNs(), "the offset of the 2 ms exchange, not of the 40 ms one");
    long delta = ShardMerge.toReference(one, zero);
    // shard 1 at nano 100 reads wall 2_000_000, which is 5_000_000 on shard 0's wall: shard 0's nano 4_000_500
    assertEquals(4_000_500, 100 + delta);
  }

  @Test
  void foldersOfDifferentSweepsAreRefusedWithOneLine(@TempDir Path dir) throws Exception {
    Path a = shard(dir, "a", times(0, 1, "s1", 0, 0, 0), "http://x");
    Path b = shard(dir, "b", times(1, 2, "s1", 0, 0, 0), "http://x");
    Path c = shard(dir, "c", times(1, 1, "s2", 0, 0, 0), "http://x");
    Path d = shard(dir, "d", times(1, 1, "s1", 0, 0, 0), "http://y");
    Path e = shard(dir, "e", times(0, 1, "s1", 0, 0, 0), "http://x");
    assertTrue(message(dir, a, b).contains("seed 1, the other 2"));
    assertTrue(message(dir, a, c).contains("sweep s1"));
    assertTrue(message(dir, a, d).contains("server http://x, the other http://y"));
    assertTrue(message(dir, a, e).contains("are both shard 0"));
    Files.createDirectories(dir.resolve("plain").resolve("gatling").resolve("lowload-2"));
    new RunInfo("low", "LowLoad", "http://x", "m", "tok", "vllm", 4096, 1L, List.of("ttft"), List.of(99.0), null,
        List.of(), Map.of(), Map.of()).write(dir.resolve("plain/gatling/lowload-2").resolve(RunInfo.FILE_NAME));
    assertTrue(message(dir, a, dir.resolve("plain")).contains("ran without --shard"));
    assertTrue(!Files.exists(dir.resolve("merged")), "nothing written");
  }

  private static String message(Path dir, Path... shards) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int status;
    try {
      String[] args = new String[shards.length + 1];
      args[0] = dir.resolve("merged").toString();
      for (int i = 0; i < shards.length; i++) {
        args[i + 1] = shards[i].toString();
      }
      status = Cli.run(new MergeMain(), args);
    } finally {
      System.setErr(old);
    }
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(2, status, lines.toString());
    assertEquals(1, lines.size(), lines.toString());
    return lines.get(0);
  }

  @Test
  void aMissingShardFolderIsOneLine(@TempDir Path dir) {
    assertTrue(message(dir, dir.resolve("nope")).contains("SHARD_DIR"));
    assertThrows(IllegalArgumentException.class, () -> ShardMerge.read(List.of(dir)));
  }
}
