package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import llmbench.gatlinglog.SimulationLog;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.testutil.Runs;
import llmbench.stats.Distribution;
import llmbench.trace.RequestRecord;
import llmbench.trace.TraceFiles;
import llmbench.testutil.GatlingRuns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Gatling run (in this JVM) of {@link llmbench.simulation.SmokeLoad} against the in-process
 * mock with a fixed 10 ms decode step, checked against the mock's own record of what it sent.
 */
class SimulationIT {
  static final int CONCURRENCY = 32;
  static final int ROUNDS = 2;
  static final int IN = 200;
  static final int OUT = 100;
  static MockServer mock;
  static Path out;
  static Path runDir;
  static JsonNode result;
  static List<RequestRecord> records = new ArrayList<>();

  @BeforeAll
  static void run() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path tok = Files.createTempDirectory(work, "tokenizer");
    BuiltinTokenizer.writeTo(tok);
    out = Files.createTempDirectory(work, "output");
    Path results = Files.createTempDirectory(work, "gatling");
    mock = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(10))
        .keepTraces(true).traceFile(work.resolve("mock-trace.jsonl")).tokenizerDir(tok).build());
    Map<String, String> props = Map.of(
        "--url", mock.baseUrl(), "--tokenizer", tok.toString(), "--input-len", "" + IN,
        "--output-len", "" + OUT, "--levels", "" + CONCURRENCY, "--rounds", "" + ROUNDS,
        "--out", out.toString(), "--gatling-results", results.toString(), "--warmup-requests", "64");
    int status = Runs.smoke(props);
    assertEquals(0, status, "Gatling's exit status");
    runDir = GatlingRuns.only(results);
    result = new ObjectMapper().readTree(out.resolve("llmbench-8b_" + IN + "-" + OUT + "_"
        + CONCURRENCY * ROUNDS + ".json").toFile());
    TraceFiles.forEach(runDir.resolve(TraceFiles.FILE_NAME), records::add);
  }

  @AfterAll
  static void stop() {
    if (mock != null) {
      mock.close();
    }
  }

  @Test
  void resultHasVllmKeysInOrderAndExactLengths() {
    List<String> keys = new ArrayList<>();
    result.fieldNames().forEachRemaining(keys::add);
    List<String> vllmOrder = List.of("date", "endpoint_type", "backend", "label", "model_id",
        "tokenizer_id", "num_prompts", "request_rate", "burstiness", "max_concurrency", "duration",
        "completed", "failed", "total_input_tokens", "total_output_tokens", "request_throughput",
        "request_goodput", "output_throughput", "total_token_throughput", "input_lens", "output_lens",
        "ttfts", "itls", "latencies", "start_times", "generated_texts", "errors",
        "max_output_tokens_per_s", "max_concurrent_requests", "mean_ttft_ms", "median_ttft_ms",
        "std_ttft_ms", "p99_ttft_ms", "mean_tpot_ms", "p99_itl_ms", "p99_e2el_ms");
    int last = -1;
    for (String k : vllmOrder) {
      int i = keys.indexOf(k);
      assertTrue(i > last, "key " + k + " missing or out of vLLM's order in " + keys);
      last = i;
    }
    int n = CONCURRENCY * ROUNDS;
    assertEquals(n, result.get("num_prompts").asInt());
    assertEquals(n, result.get("completed").asInt());
    assertEquals(0, result.get("failed").asInt());
    assertEquals(CONCURRENCY, result.get("max_concurrency").asInt());
    assertEquals((long) n * IN, result.get("total_input_tokens").asLong());
    assertEquals((long) n * OUT, result.get("total_output_tokens").asLong());
    result.get("input_lens").forEach(v -> assertEquals(IN, v.asInt()));
    result.get("output_lens").forEach(v -> assertEquals(OUT, v.asInt()));
    result.get("itls").forEach(v -> assertEquals(OUT - 1, v.size()));
    assertEquals(CONCURRENCY, result.get("max_concurrent_requests").asInt());
  }

  @Test
  void warmupIsExcludedAndEveryPromptWasUnique() {
    long warm = records.stream().filter(RequestRecord::warmup).count();
    assertEquals(64, warm);
    assertEquals(CONCURRENCY * ROUNDS, records.size() - warm);
    // the mock saw every level request once, with the exact token count
    for (RequestRecord r : records) {
      GroundTruth.Trace t = mock.groundTruth().get(r.id());
      assertEquals(r.warmup() ? 16 : OUT, t.completionTokens(), r.id());
      assertEquals(IN, t.promptTokens(), r.id());
    }
  }

  /**
   * Every request carried a W3C traceparent (as the mock received it) whose trace id comes from the
   * request id alone: the run tag, then the request's number.
   */
  @Test
  void everyRequestCarriesATraceparentDerivedFromItsId() {
    for (RequestRecord r : records) {
      String header = mock.groundTruth().get(r.id()).traceparent();
      assertTrue(header != null && header.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), r.id() + ": " + header);
      String[] id = r.id().split("-");
      assertEquals(id[0] + String.format("%024x", Long.parseLong(id[1])), header.substring(3, 35), r.id());
    }
  }

  /** The level starts only once every warm-up request has ended (the rendez-vous between stages). */
  @Test
  void aLevelStartsAfterTheStageBeforeItEnded() {
    long warmupEnd = records.stream().filter(RequestRecord::warmup).mapToLong(RequestRecord::endNs).max().orElseThrow();
    long levelStart = records.stream().filter(r -> !r.warmup()).mapToLong(RequestRecord::startNs).min().orElseThrow();
    assertTrue(warmupEnd < levelStart, "level c032 started " + (warmupEnd - levelStart) / 1e6
        + " ms before the warm-up ended");
  }

  /**
   * Gatling's own log has one request per call, its TTFT ({@code generate: TTFT}), inside a group of
   * the request's name timed start to end (E2EL), within the level's group; both times are the
   * records' (whole milliseconds). Nothing else is a request: global() counts each call once.
   */
  @Test
  void simulationLogHasOneTtftRequestAndOneE2elGroupPerCall() throws Exception {
    SimulationLog.Contents log = SimulationLog.read(runDir.resolve("simulation.log"));
    List<SimulationLog.Request> level = log.requests().stream()
        .filter(r -> !r.groups().isEmpty() && r.groups().get(0).startsWith("c032")).toList();
    assertTrue(level.stream().allMatch(r -> r.name().equals("generate: TTFT") && r.groups().size() == 2
        && r.groups().get(1).equals("generate")), "one TTFT entry per call, in the group of its name");
    List<Long> ttft = level.stream().map(r -> (long) (r.endMs() - r.startMs())).sorted().toList();
    List<Long> e2el = log.groups().stream()
        .filter(g -> g.groups().size() == 2 && g.groups().get(0).startsWith("c032") && g.groups().get(1).equals("generate"))
        .map(g -> (long) (g.endMs() - g.startMs())).sorted().toList();
    assertEquals(CONCURRENCY * ROUNDS, ttft.size());
    assertEquals(CONCURRENCY * ROUNDS, e2el.size());
    assertEquals(records.size(), log.requests().size(), "one request per call (the warm-up's included), no second entry");
    assertTrue(log.requests().stream().allMatch(SimulationLog.Request::ok));
    List<RequestRecord> measured = records.stream().filter(r -> !r.warmup()).toList();
    List<Long> recordTtft = measured.stream().map(r -> Math.round((r.chunkNs()[0] - r.startNs()) / 1e6)).sorted().toList();
    List<Long> recordE2el = measured.stream().map(r -> Math.round((r.endNs() - r.startNs()) / 1e6)).sorted().toList();
    for (int i = 0; i < ttft.size(); i++) {
      assertTrue(Math.abs(ttft.get(i) - recordTtft.get(i)) <= 1, "TTFT " + i + ": " + ttft.get(i) + " vs " + recordTtft.get(i));
      assertTrue(Math.abs(e2el.get(i) - recordE2el.get(i)) <= 1, "E2EL " + i + ": " + e2el.get(i) + " vs " + recordE2el.get(i));
    }
  }

  /** Client stamps against the mock's send stamps on the same monotonic clock. */
  @Test
  void timingsAgreeWithMockGroundTruth() {
    List<Double> ttftErr = new ArrayList<>();
    List<Double> itlErr = new ArrayList<>();
    List<Double> e2elErr = new ArrayList<>();
    for (RequestRecord r : records) {
      if (r.warmup()) {
        continue;
      }
      GroundTruth.Trace t = mock.groundTruth().get(r.id());
      long[] c = r.chunkNs();
      long[] s = t.choiceChunkNs();
      assertEquals(s.length, c.length, "chunks of " + r.id());
      for (int i = 0; i < c.length; i++) {
        assertTrue(c[i] >= s[i], "a chunk was stamped before the mock sent it");
      }
      ttftErr.add((c[0] - s[0]) / 1e6);
      e2elErr.add((c[c.length - 1] - s[s.length - 1]) / 1e6);
      for (int i = 1; i < c.length; i++) {
        itlErr.add(Math.abs((c[i] - c[i - 1]) - (s[i] - s[i - 1])) / 1e6);
      }
      assertTrue(r.startNs() < t.arrivalNs(), "request start stamped after the mock received it");
    }
    Distribution ttft = dist(ttftErr);
    Distribution itl = dist(itlErr);
    Distribution e2el = dist(e2elErr);
    System.out.printf("fidelity at c%d, 10 ms steps (ms): TTFT p50 %.3f p99 %.3f max %.3f | ITL p50 %.3f p99 %.3f max %.3f | E2EL p50 %.3f p99 %.3f max %.3f%n",
        CONCURRENCY, ttft.median(), ttft.percentile(99), ttft.percentile(100 - 1e-9),
        itl.median(), itl.percentile(99), itl.percentile(100 - 1e-9),
        e2el.median(), e2el.percentile(99), e2el.percentile(100 - 1e-9));
    // Medians catch timing bugs (stamps taken per socket read, at check completion or in whole ms
    // would put the median ITL error near the 10 ms step). The p99 target (<= 1 ms) is measured and
    // reported by the fidelity benchmark, not asserted here: on a shared 2-core machine with client
    // and mock in one JVM, CPU bursts put the tail at several ms (docs/PERFORMANCE.md).
    assertTrue(ttft.median() <= 2.0, "TTFT median error " + ttft.median() + " ms");
    assertTrue(itl.median() <= 1.0, "ITL median error " + itl.median() + " ms");
    assertTrue(e2el.median() <= 10.0, "E2EL median error " + e2el.median() + " ms");
  }

  private static Distribution dist(List<Double> v) {
    return new Distribution(v.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
