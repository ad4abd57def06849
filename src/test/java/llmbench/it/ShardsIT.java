package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import llmbench.merge.ShardMerge;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.results.LevelResult;
import llmbench.results.ResultFiles;
import llmbench.testutil.Jvm;
import llmbench.testutil.NetHosts;
import llmbench.testutil.Overlap;
import llmbench.trace.RequestRecord;
import llmbench.trace.TraceFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Four shard processes against one mock, each in a network namespace of its own where root allows (else
 * on loopback), merged: the mock's own record shows each level's whole
 * concurrency, the shards sent exactly a one-machine run's prompts (the same bodies, by their hash),
 * the merged percentiles are those of the union of the shards' records, and a shard killed mid-level
 * leaves partial levels, said so, with the others' results kept.
 */
class ShardsIT {
  static final int SHARDS = 4;
  /** The mock sends usage: output tokens are never counted from text here. */
  static final llmbench.stats.VllmMetrics.TextTokenCounter COUNT = text -> {
    throw new AssertionError("counted a text's tokens: the mock sends usage");
  };
  static MockServer mock;
  static Path work;
  static Path tok;
  /** Each shard on a host of its own where root allows (network namespaces), else all on loopback. */
  static NetHosts hosts;
  static String url;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "shards");
    tok = Files.createDirectories(work.resolve("tok"));
    BuiltinTokenizer.writeTo(tok);
    hosts = NetHosts.make(SHARDS + 1);
    mock = MockServer.start(MockConfig.builder().port(0).host(hosts != null ? "0.0.0.0" : "127.0.0.1")
        .stepModel(StepModel.fixed(5)).keepTraces(true).tokenizerDir(tok).build());
    url = "http://" + (hosts != null ? NetHosts.HOST : "127.0.0.1") + ":" + mock.port();
    System.out.println("ShardsIT: " + (hosts != null ? "each client in its own network namespace" : "on loopback"));
  }

  @AfterAll
  static void stop() {
    if (mock != null) {
      mock.close();
    }
    if (hosts != null) {
      hosts.close();
    }
  }

  /** A client JVM on host {@code host} (0..SHARDS: shards first, the one-machine run last). */
  private static Process client(int host, Path dir, List<String> extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Jvm.java(), "-Xmx512m", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "-Dai.djl.offline=true", "-cp", Jvm.classpath(), llmbench.cli.RunTestMain.class.getName(),
        "--no-client-warmup", "--url", url, "--tokenizer", tok.toString(), "--profiles", "low",
        "--input-len", "32", "--output-len", "40", "--seed", "5", "--out", dir.resolve("out").toString(),
        "--gatling-results", dir.resolve("gatling").toString()));
    cmd.addAll(extra);
    Files.createDirectories(dir);
    return new ProcessBuilder(hosts != null ? hosts.in(host, cmd) : cmd).redirectErrorStream(true).redirectOutput(dir.resolve("console.log").toFile()).start();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static List<Process> shards(Path dir, List<String> extra) throws Exception {
    int port = freePort();
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < SHARDS; i++) {
      String zero = hosts != null ? NetHosts.address(0) : "127.0.0.1";
      List<String> args = new ArrayList<>(List.of("--shard", i + "/" + SHARDS, "--coordinator", zero + ":" + port));
      args.addAll(extra);
      ps.add(client(i, dir.resolve("shard-" + i), args));
    }
    return ps;
  }

  private static void awaitOk(Process p, Path dir) throws Exception {
    assertTrue(p.waitFor(240, TimeUnit.SECONDS), "a client did not end within 240 s: " + dir);
    assertEquals(0, p.exitValue(), () -> dir + " failed:\n" + read(dir.resolve("console.log")));
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (Exception e) {
      return "(no " + f + ")";
    }
  }

  /** A run's measured records (its copied Gatling run folder under its --out). */
  private static List<RequestRecord> records(Path out) throws Exception {
    List<RequestRecord> all = new ArrayList<>();
    try (Stream<Path> runs = Files.list(out.resolve("gatling"))) {
      for (Path run : runs.toList()) {
        Path f = run.resolve(TraceFiles.FILE_NAME);
        if (Files.isRegularFile(f)) {
          TraceFiles.forEach(f, r -> {
            if (!r.warmup()) {
              all.add(r);
            }
          });
        }
      }
    }
    return all;
  }

  /** The most requests the mock had at once among {@code ids}, by its own arrival and end stamps. */
  private static int mockConcurrency(List<String> ids) {
    return Overlap.mostAtOnce(ids.stream().map(id -> mock.groundTruth().get(id))
        .map(t -> new long[] {t.arrivalNs(), t.doneSentNs()}).toList());
  }

  private static List<String> bodies(List<RequestRecord> records, String level) {
    return records.stream().filter(r -> r.level().equals(level)).map(r -> mock.groundTruth().get(r.id()).bodySha256())
        .sorted().toList();
  }

  /** numpy's percentile (linear between the closest ranks), as vLLM's client computes it. */
  private static double percentile(double[] sorted, double p) {
    double rank = p / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = (int) Math.ceil(rank);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
  }

  @Test
  void fourShardsMergeIntoTheRunOfOneMachine() throws Exception {
    Path dir = work.resolve("whole");
    List<String> levels = List.of("--levels", "1,4,8", "--rounds", "3");
    List<String> asked = List.of("/v1/models", "/version", "/v1/completions");
    long[] before = asked.stream().mapToLong(mock::requests).toArray();
    Process one = client(SHARDS, dir.resolve("one"), levels);
    awaitOk(one, dir.resolve("one"));
    long[] afterOne = asked.stream().mapToLong(mock::requests).toArray();
    List<Process> ps = shards(dir, levels);
    for (int i = 0; i < SHARDS; i++) {
      awaitOk(ps.get(i), dir.resolve("shard-" + i));
    }
    long[] afterShards = asked.stream().mapToLong(mock::requests).toArray();
    for (int k = 0; k < asked.size(); k++) {
      // shard 0 alone discovers the server, sends the preflight and warms it up; the others learn from it
      assertEquals(afterOne[k] - before[k], afterShards[k] - afterOne[k], asked.get(k) + ": requests of the "
          + "sharded sweep against the one-machine run's");
    }
    List<Path> outs = new ArrayList<>();
    for (int i = 0; i < SHARDS; i++) {
      outs.add(dir.resolve("shard-" + i).resolve("out"));
    }
    Path merged = dir.resolve("merged");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    List<LevelResult> results = ShardMerge.merge(merged, outs, COUNT, new PrintStream(console, true, StandardCharsets.UTF_8));
    assertEquals(List.of("c001", "c004", "c008"), results.stream().map(LevelResult::level).toList(), console.toString());

    List<RequestRecord> oneRecords = records(dir.resolve("one").resolve("out"));
    List<RequestRecord> shardRecords = new ArrayList<>();
    for (Path o : outs) {
      shardRecords.addAll(records(o));
    }
    Map<String, LevelResult> full = new TreeMap<>();
    for (LevelResult r : ResultFiles.full(merged)) {
      full.put(r.level(), r);
    }
    Map<String, LevelResult> shardOne = new TreeMap<>();
    for (LevelResult r : ResultFiles.full(outs.get(1))) {
      shardOne.put(r.level(), r);
    }
    for (String level : List.of("c001", "c004", "c008")) {
      int c = Integer.parseInt(level.substring(1));
      List<String> ids = shardRecords.stream().filter(r -> r.level().equals(level)).map(RequestRecord::id).toList();
      assertEquals(3 * c, ids.size(), level + ": the shards' requests");
      assertEquals(c, mockConcurrency(ids), level + ": requests at the mock at once (its own record)");
      assertEquals(bodies(oneRecords, level), bodies(shardRecords, level), level + ": the prompts of one machine");

      LevelResult r = full.get(level);
      assertEquals(3 * c, r.numPrompts(), level + ": merged requests");
      LevelResult own = shardOne.get(level); // a shard's own result: its part, and the whole
      if (c >= SHARDS) { // every shard has users in the level
        assertTrue(own != null, level + ": shard 1's result");
        assertEquals(3 * c, ((Number) own.other().get("shard_whole_prompts")).intValue(), level + ": shard 1");
        assertTrue(own.numPrompts() < 3 * c, level + ": shard 1's part");
      }
      assertEquals(c, r.maxConcurrency(), level + ": merged concurrency");
      double[] union = shardRecords.stream().filter(x -> x.level().equals(level))
          .mapToDouble(x -> (x.chunkNs()[0] - x.startNs()) / 1e9).sorted().toArray();
      double[] mergedTtfts = r.ttfts().clone();
      Arrays.sort(mergedTtfts);
      assertEquals(union.length, mergedTtfts.length);
      for (int i = 0; i < union.length; i++) {
        assertEquals(union[i], mergedTtfts[i], 1e-9, level + ": TTFT " + i);
      }
      assertEquals(percentile(union, 99) * 1000, r.stats("ttft").percentile(99.0), 1e-6, level + ": P99 TTFT of the union");
      // one machine, one wall clock: every offset's truth is 0, and the measure is right within half its round trip
      double rtt = ((Number) r.other().get("shard_clock_offset_rtt_ms")).doubleValue();
      @SuppressWarnings("unchecked")
      Map<String, Number> offsets = (Map<String, Number>) r.other().get("shard_clock_offsets_ms");
      assertEquals(SHARDS, offsets.size());
      offsets.forEach((shard, ms) -> assertTrue(Math.abs(ms.doubleValue()) <= rtt / 2 + 0.05,
          level + ": shard " + shard + "'s clock offset " + ms + " ms, round trip " + rtt + " ms"));
      Object spread = r.other().get("shard_start_spread_ms");
      if (c == 1) {
        assertEquals(null, spread, "one user: one shard sent the level, no spread");
      } else {
        assertTrue(spread instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() < 100,
            level + ": the shards' start spread " + spread);
      }
      assertFalse(r.warnings().stream().anyMatch(w -> w.contains("partial")), level + ": " + r.warnings());
    }
  }

  @Test
  void aShardKilledMidLevelLeavesPartialLevelsAndTheOthersResults() throws Exception {
    Path dir = work.resolve("killed");
    List<Process> ps = shards(dir, List.of("--levels", "4,8,16", "--rounds", "6", "--barrier-timeout", "5"));
    Path victim = dir.resolve("shard-3").resolve("gatling");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    boolean inC008 = false;
    while (!inC008 && System.nanoTime() < deadline) {
      if (Files.isDirectory(victim)) {
        try (Stream<Path> files = Files.list(victim)) {
          for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).toList()) {
            inC008 |= Files.readString(f).contains("\"level\":\"c008\"");
          }
        }
      }
      Thread.sleep(50);
    }
    assertTrue(inC008, "shard 3 never reached c008:\n" + read(dir.resolve("shard-3").resolve("console.log")));
    ps.get(3).destroyForcibly().waitFor();
    List<Path> outs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      awaitOk(ps.get(i), dir.resolve("shard-" + i));
      outs.add(dir.resolve("shard-" + i).resolve("out"));
      assertFalse(records(outs.get(i)).isEmpty(), "shard " + i + " kept its results");
    }
    assertTrue(read(dir.resolve("shard-0").resolve("console.log")).contains("did not arrive within 5 s"),
        "shard 0 says the sweep went on without shard 3");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    List<LevelResult> results = ShardMerge.merge(dir.resolve("merged"), outs, COUNT,
        new PrintStream(console, true, StandardCharsets.UTF_8));
    assertEquals(3, results.size(), console.toString());
    for (LevelResult r : ResultFiles.full(dir.resolve("merged"))) {
      assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("partial level: shard [3] of 4 missing")),
          r.name() + ": " + r.warnings());
      assertEquals(List.of(3), r.other().get("shards_missing"));
      // the whole level's requests come from what each shard kept of it, not from the shards merged
      java.util.regex.Matcher planned = java.util.regex.Pattern.compile("; (\\d+) of the level's (\\d+) requests")
          .matcher(String.join("\n", r.warnings()));
      assertTrue(planned.find(), r.warnings().toString());
      assertTrue(Integer.parseInt(planned.group(1)) < Integer.parseInt(planned.group(2)), planned.group());
      if (r.level().equals("c008")) {
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("shard [3] of 4 did not arrive within 5 s")),
            "the level where shard 3 died says so: " + r.warnings());
      }
    }
    assertTrue(console.toString().contains("partial level"), console.toString());
  }
}
