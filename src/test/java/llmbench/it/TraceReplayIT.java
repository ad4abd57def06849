package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.testutil.Http;
import llmbench.testutil.Runs;
import llmbench.testutil.TraceSamples;
import llmbench.testutil.TraceSamples.Row;
import org.junit.jupiter.api.Test;

/**
 * Traces replayed against the mock, checked by the mock's own record: when each request arrived, the
 * lengths it counted, and its prefix cache's hits, against what the trace file says (computed here
 * from the rows, not by the replay's code).
 */
class TraceReplayIT {
  private static final int BLOCK = 512;

  @Test
  void mooncakeReplaysItsTimesItsLengthsAndItsSharedBlocks() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    List<Row> rows = TraceSamples.mooncake(200, 15, 0.02, 11);
    Path trace = TraceSamples.writeMooncake(Files.createTempDirectory(work, "trace").resolve("conversation.jsonl"), rows,
        1e-3);
    double speedup = 2;
    Replayed run = replay(work, "mooncake:" + trace, "--trace-speedup", "2");
    JsonNode r = run.result("llmbench-8b_mooncake-conversation_200_x2.json");
    assertEquals(200, r.get("completed").asInt());
    assertEquals("trace", r.get("arrival_pattern").asText());
    List<GroundTruth.Trace> sent = run.matched(rows);
    assertTimes(rows, sent, speedup);
    // every block id chain seen before is a hit at the mock (16-token blocks, at most all but the last token)
    long expected = 0;
    for (int i = 0; i < rows.size(); i++) {
      int common = 0;
      for (int j = 0; j < i; j++) {
        common = Math.max(common, commonTokens(rows.get(i), rows.get(j)));
      }
      expected += Math.min(common, rows.get(i).input() - 1) / 16 * 16;
    }
    assertTrue(expected > 10_000, "the sample shares blocks: " + expected);
    assertEquals(expected, run.prefixHits(), "the mock's prefix-cache hits, in tokens");
    long implied = 0;
    long total = 0;
    for (int i = 0; i < rows.size(); i++) {
      int common = 0;
      for (int j = 0; j < i; j++) {
        common = Math.max(common, commonTokens(rows.get(i), rows.get(j)));
      }
      implied += common;
      total += rows.get(i).input();
    }
    assertEquals(implied, r.get("trace_prefix_reuse_tokens").asLong());
    assertEquals(implied / (double) total, r.get("trace_prefix_reuse_ratio").asDouble(), 1e-12);
    assertEquals(run.prefixHits() / (double) total, r.get("server_prefix_cache_hit_rate").asDouble(), 1e-9,
        "the measured hits beside the implied reuse");
  }

  @Test
  void azureBurstGptAndTimedTraceReplayWithTheirLengthsAndTimes() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path dir = Files.createTempDirectory(work, "traces");
    List<Row> azure = TraceSamples.plain(100, 30, 40, 3);
    Path azureFile = TraceSamples.writeAzure(dir.resolve("AzureLLMInferenceTrace_code.csv"), azure,
        LocalDateTime.of(2023, 11, 16, 18, 15, 46, 680_590_000), false);
    List<Row> burst = new ArrayList<>(TraceSamples.plain(100, 30, 60, 4));
    Row failed = burst.get(7);
    burst.set(7, new Row(failed.atS(), failed.input(), 0, new long[0])); // a failed request: skipped, counted
    Path burstFile = TraceSamples.writeBurstGpt(dir.resolve("BurstGPT_1.csv"), burst, 3600);
    List<Row> timed = TraceSamples.plain(100, 30, 80, 5);
    Path timedFile = TraceSamples.writeMooncake(dir.resolve("timed.jsonl"), timed, 1.0);

    Replayed a = replay(work, "azure:" + azureFile);
    JsonNode ar = a.result("llmbench-8b_azure-AzureLLMInferenceTrace_code_100_x1.json");
    assertSampleTimes(azure, a.matched(azure), 1, ar);
    assertEquals(100, ar.get("completed").asInt());

    Replayed b = replay(work, "burstgpt:" + burstFile, "--trace-speedup", "0.5");
    List<Row> sent = new ArrayList<>(burst);
    sent.remove(7);
    JsonNode br = b.result("llmbench-8b_burstgpt-BurstGPT_1_99_x0.5.json");
    assertSampleTimes(sent, b.matched(sent), 0.5, br);
    assertEquals(1, br.get("trace_failed_skipped").asInt());
    assertTrue(br.get("warnings").toString().contains("1 trace rows with 0 output tokens skipped (BurstGPT's failed requests)"));

    Replayed t = replay(work, "timed_trace:" + timedFile);
    assertSampleTimes(timed, t.matched(timed), 1, t.result("llmbench-8b_timed_trace-timed_100_x1.json"));
  }

  @Test
  void badTracesAreOneLineNamingFileAndLineBeforeAnythingIsArchived() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path dir = Files.createTempDirectory(work, "bad");
    Path out = Files.createDirectories(dir.resolve("output"));
    Path earlier = Files.writeString(out.resolve("llmbench-8b_100-150_1.json"), "{}");
    Path missing = Files.write(dir.resolve("missing.jsonl"), List.of(
        "{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 5, \"hash_ids\": [1]}",
        "{\"timestamp\": 9, \"input_length\": 10, \"hash_ids\": [1]}"));
    Path negative = Files.write(dir.resolve("negative.csv"), List.of(
        "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type", "1,ChatGPT,-4,5,1,Conversation log"));
    Path unsorted = Files.write(dir.resolve("unsorted.csv"), List.of("TIMESTAMP,ContextTokens,GeneratedTokens",
        "2023-11-16 18:15:50.0000000,10,5", "2023-11-16 18:15:49.0000000,10,5"));
    Map<String, String> expected = Map.of(
        "mooncake:" + missing, "error: --dataset mooncake:" + missing + " line 2: no \"output_length\"",
        "burstgpt:" + negative, "error: --dataset burstgpt:" + negative + " line 2: Request tokens must be a whole "
            + "number of tokens >= 0, not '-4'",
        "azure:" + unsorted, "error: --dataset azure:" + unsorted + " line 3: timestamp -1.0 s is before line 2's "
            + "(0.0 s): a trace must be in time order");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      java.io.PrintStream before = System.err;
      System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
      int status;
      try {
        status = llmbench.cli.Cli.run(new llmbench.cli.SweepCommand(llmbench.gatling.sweep.GatlingLauncher::run, false),
            "--mock", "--dataset", e.getKey(), "--out", out.toString());
      } finally {
        System.setErr(before);
      }
      assertEquals(2, status);
      assertEquals(e.getValue(), err.toString(java.nio.charset.StandardCharsets.UTF_8).strip());
    }
    try (var files = Files.list(out)) {
      assertEquals(List.of(earlier), files.toList(), "nothing archived, started or written");
    }
  }

  @Test
  void aUsersSimulationReplaysATraceThroughItsFeeder() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    List<Row> rows = TraceSamples.mooncake(40, 10, 0.02, 5);
    Path trace = TraceSamples.writeMooncake(Files.createTempDirectory(work, "trace").resolve("t.jsonl"), rows, 1e-3);
    Path tok = Files.createTempDirectory(work, "tokenizer");
    BuiltinTokenizer.writeTo(tok);
    Path results = Files.createTempDirectory(work, "gatling");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(2)).keepTraces(true)
        .tokenizerDir(tok).build())) {
      assertEquals(0, Runs.gatlingTest(llmbench.simulation.TraceReplay.class.getName(), results, Map.of("dsl.url",
          mock.baseUrl(), "dsl.trace", "mooncake:" + trace, "dsl.tokenizer", tok.toString())));
      Replayed run = new Replayed(results, mock.groundTruth().all(), 0);
      // a user's simulation has no client warm-up and its users pause in Gatling's whole milliseconds: its
      // first requests pay the JVM's first use of the client (one was 90 ms late), so the median is held here
      double[] late = lateness(rows, run.matched(rows), 2);
      assertTrue(late[late.length / 2] <= 5.0, "median lateness " + late[late.length / 2] + " ms");
    }
  }

  /** The tokens two rows share from the start: equal ids, each block as far as both hold it. */
  private static int commonTokens(Row a, Row b) {
    int common = 0;
    for (int j = 0; j < Math.min(a.hashIds().length, b.hashIds().length); j++) {
      if (a.hashIds()[j] != b.hashIds()[j]) {
        break;
      }
      int ta = Math.min(BLOCK, a.input() - j * BLOCK);
      int tb = Math.min(BLOCK, b.input() - j * BLOCK);
      common += Math.min(ta, tb);
      if (ta != tb) {
        break;
      }
    }
    return common;
  }

  /**
   * Each request reached the mock at its row's time over the speed-up, after the earliest one's
   * offset: p99 of the delays within 5 ms.
   */
  private static void assertTimes(List<Row> rows, List<GroundTruth.Trace> sent, double speedup) {
    double[] late = lateness(rows, sent, speedup);
    double p99 = late[(int) Math.ceil(0.99 * late.length) - 1];
    assertTrue(p99 <= 5.0, "p99 of the starts' delays " + p99 + " ms, worst " + late[late.length - 1] + " ms");
  }

  /**
   * The samples' times are the trace's (Azure's wall clock from its first row, BurstGPT's seconds over
   * the speed-up, timed_trace's): a wrong reading shifts most starts by far more than milliseconds, so
   * the median start is within 1 ms of its scaled arrival and nine in ten within 5 ms. The p99 bound
   * of 5 ms is the Mooncake replay's above: with 100 requests a p99 is the second latest, and on two
   * shared cores one or two requests met the mock's or the client's loop 5-11 ms late (flagged by the
   * results when on the client's side).
   */
  private static void assertSampleTimes(List<Row> rows, List<GroundTruth.Trace> sent, double speedup,
      JsonNode result) {
    double[] late = lateness(rows, sent, speedup);
    assertTrue(late[late.length / 2] <= 1.0, "median lateness " + late[late.length / 2] + " ms");
    double p90 = late[(int) Math.ceil(0.9 * late.length) - 1];
    assertTrue(p90 <= 5.0, "p90 of the starts' delays " + p90 + " ms (the results report a p99 schedule lag of "
        + result.get("schedule_lag_p99_ms").asDouble() + " ms)");
  }

  /** How late each request reached the mock after its row's time over the speed-up, counted from the earliest; sorted. */
  private static double[] lateness(List<Row> rows, List<GroundTruth.Trace> sent, double speedup) {
    double[] offset = new double[rows.size()];
    double zero = Double.MAX_VALUE;
    for (int i = 0; i < rows.size(); i++) {
      offset[i] = sent.get(i).arrivalNs() / 1e6 - (rows.get(i).atS() - rows.get(0).atS()) / speedup * 1000;
      zero = Math.min(zero, offset[i]);
    }
    double[] late = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      late[i] = offset[i] - zero;
    }
    Arrays.sort(late);
    System.out.printf(java.util.Locale.ROOT, "%d starts at the mock, late by p50 %.2f ms, p99 %.2f ms, worst %.2f ms%n",
        late.length, late[late.length / 2], late[(int) Math.ceil(0.99 * late.length) - 1], late[late.length - 1]);
    return late;
  }

  private record Replayed(Path out, List<GroundTruth.Trace> traces, long prefixHits) {
    JsonNode result(String name) throws Exception {
      Path f = out.resolve(name);
      try (var files = Files.list(out)) {
        assertTrue(Files.isRegularFile(f), name + " not among " + files.map(p -> p.getFileName().toString()).toList());
      }
      return new ObjectMapper().readTree(f.toFile());
    }

    /** The request the mock counted with each row's exact input and output lengths, in the rows' order. */
    List<GroundTruth.Trace> matched(List<Row> rows) {
      Map<String, GroundTruth.Trace> byLengths = new HashMap<>();
      for (GroundTruth.Trace t : traces) {
        byLengths.merge(t.promptTokens() + "/" + t.completionTokens(), t, (x, y) -> {
          throw new AssertionError("two requests of " + t.promptTokens() + " in, " + t.completionTokens() + " out");
        });
      }
      List<GroundTruth.Trace> out = new ArrayList<>();
      for (Row row : rows) {
        GroundTruth.Trace t = byLengths.get(row.input() + "/" + row.output());
        assertTrue(t != null, "no request of " + row.input() + " in, " + row.output() + " out reached the mock");
        out.add(t);
      }
      return out;
    }
  }

  private static Replayed replay(Path work, String dataset, String... extra) throws Exception {
    Path tok = Files.createTempDirectory(work, "tokenizer");
    BuiltinTokenizer.writeTo(tok);
    Path out = Files.createTempDirectory(work, "output");
    Path results = Files.createTempDirectory(work, "gatling");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(2)).keepTraces(true)
        .numGpuBlocks(200_000).tokenizerDir(tok).build())) {
      Map<String, String> props = new HashMap<>(Map.of("--url", mock.baseUrl(), "--tokenizer", tok.toString(),
          "--dataset", dataset, "--out", out.toString(), "--gatling-results", results.toString()));
      for (int i = 0; i < extra.length; i += 2) {
        props.put(extra[i], extra[i + 1]);
      }
      assertEquals(0, Runs.smoke(props));
      String metrics = Http.get(mock.baseUrl() + "/metrics").body();
      long hits = metrics.lines().filter(l -> l.startsWith("vllm:prefix_cache_hits_total"))
          .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
      return new Replayed(out, mock.groundTruth().all(), hits);
    }
  }
}
