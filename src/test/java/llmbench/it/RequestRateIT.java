package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.testutil.Overlap;
import llmbench.testutil.Runs;
import llmbench.testutil.GatlingRuns;
import llmbench.trace.RequestRecord;
import llmbench.workload.Arrivals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request-rate levels through the real simulation against the in-process mock: the starts keep the
 * seeded schedule (by the client's stamps and by the mock's arrival record), and a capped level never
 * has more requests at the mock than its cap.
 */
class RequestRateIT {
  static final int IN = 64;
  static MockServer mock;
  static Path work;
  static Path tok;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createDirectories(Path.of("target", "it"));
    tok = Files.createTempDirectory(work, "tokenizer");
    BuiltinTokenizer.writeTo(tok);
    mock = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(10))
        .keepTraces(true).tokenizerDir(tok).build());
  }

  @AfterAll
  static void stop() {
    if (mock != null) {
      mock.close();
    }
  }

  private static List<RequestRecord> run(Map<String, String> extra, Path out) throws Exception {
    Path results = Files.createTempDirectory(work, "gatling");
    Map<String, String> props = new java.util.HashMap<>(Map.of(
        "--url", mock.baseUrl(), "--tokenizer", tok.toString(), "--input-len", "" + IN,
        "--out", out.toString(), "--gatling-results", results.toString(), "--warmup-requests", "4",
        "--seed", "11"));
    props.putAll(extra);
    assertEquals(0, Runs.smoke(props));
    return GatlingRuns.measured(results);
  }

  @Test
  void aRateLevelKeepsItsScheduleAndItsRate() throws Exception {
    Path out = Files.createTempDirectory(work, "output");
    int n = 200;
    double rate = 20;
    List<RequestRecord> records = run(Map.of("--request-rate", "20", "--num-prompts", "" + n,
        "--output-len", "20"), out);
    assertEquals(n, records.size());
    double[] lagMs = records.stream().mapToDouble(r -> (r.startNs() - r.dueNs()) / 1e6).sorted().toArray();
    assertTrue(lagMs[0] >= 0, "a request went before it was due: " + lagMs[0] + " ms");
    double p99 = lagMs[(int) Math.ceil(0.99 * n) - 1];
    assertTrue(p99 <= 5.0, "schedule lag p99 " + p99 + " ms");
    // the mock's own record: the arrivals it saw, at the asked rate
    long[] arrivals = records.stream().mapToLong(r -> mock.groundTruth().get(r.id()).arrivalNs()).sorted().toArray();
    double achieved = (n - 1) / ((arrivals[n - 1] - arrivals[0]) / 1e9);
    assertEquals(rate, achieved, rate * 0.02, "arrival rate at the mock");
    // each request was due exactly where the seeded schedule puts it
    long[] due = records.stream().mapToLong(RequestRecord::dueNs).sorted().toArray();
    long[] offsets = new Arrivals(rate, 1, null).offsetsNs(n, seedOf(out));
    for (int i = 1; i < n; i++) {
      assertEquals(offsets[i] - offsets[0], due[i] - due[0], 1_000, "due time of request " + i);
    }
    JsonNode result = only(out);
    assertEquals(20.0, result.get("request_rate").asDouble());
    assertTrue(result.get("max_concurrency").isNull());
    assertEquals(1.0, result.get("burstiness").asDouble());
    assertEquals(rate, result.get("achieved_request_rate").asDouble(), rate * 0.02);
    assertTrue(result.get("schedule_lag_p99_ms").asDouble() <= 5.0);
    assertTrue(Files.list(out).anyMatch(p -> p.getFileName().toString().endsWith("_200_20qps.json")));
  }

  @Test
  void aCappedLevelNeverExceedsItsCap() throws Exception {
    Path out = Files.createTempDirectory(work, "output");
    int cap = 8;
    List<RequestRecord> records = run(Map.of("--request-rate", "inf", "--max-concurrency", "" + cap,
        "--num-prompts", "48", "--output-len", "40"), out);
    assertEquals(48, records.size());
    List<long[]> spans = new ArrayList<>();
    for (RequestRecord r : records) {
      GroundTruth.Trace t = mock.groundTruth().get(r.id());
      spans.add(new long[] {t.arrivalNs(), t.doneSentNs()});
    }
    int most = Overlap.mostAtOnce(spans);
    assertEquals(cap, most, "requests at the mock at once");
    JsonNode result = only(out);
    assertEquals("inf", result.get("request_rate").asText());
    assertEquals(cap, result.get("max_concurrency").asInt());
    assertTrue(result.get("concurrency_wait_max_ms").asDouble() > 100, "later requests waited for the cap");
    assertTrue(Files.list(out).anyMatch(p -> p.getFileName().toString().endsWith("_48_infqps_mc8.json")));
  }

  private static long seedOf(Path out) throws Exception {
    return only(out).get("arrival_seed").asLong();
  }

  private static JsonNode only(Path out) throws Exception {
    try (var files = Files.list(out)) {
      List<Path> json = files.filter(p -> p.toString().endsWith(".json")).toList();
      assertEquals(1, json.size(), "result files: " + json);
      return new ObjectMapper().readTree(json.get(0).toFile());
    }
  }
}
