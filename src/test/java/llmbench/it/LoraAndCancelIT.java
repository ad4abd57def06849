package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.testutil.GatlingRuns;
import llmbench.testutil.Sweeps;
import llmbench.trace.RequestRecord;
import org.junit.jupiter.api.Test;

/**
 * LoRA adapters (each adapter's share of the requests the mock received, a row per adapter in the
 * result) and cancelled streams (the share closed, each in the mock's record as closed by the client,
 * none a failure, none in the latency statistics).
 */
class LoraAndCancelIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void roundRobinSendsEachAdapterAThirdAndTheResultHasARowEach() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "lora");
    Path out = work.resolve("out");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.1).keepTraces(true)
        .loraModules(List.of("sql", "chat", "code")).loraLoadMs(20).build())) {
      Sweeps.sweep(work, "--url", mock.baseUrl(), "--profiles", "low", "--levels", "3", "--rounds", "10",
          "--output-len", "20", "--lora-modules", "sql,chat,code", "--warmup-requests", "0", "--out", out.toString());
      Map<String, Integer> sent = new TreeMap<>();
      for (JsonNode b : mock.groundTruth().bodies()) {
        sent.merge(b.get("model").asText(), 1, Integer::sum);
      }
      assertEquals(Map.of("chat", 10, "code", 10, "sql", 10), sent, "the mock's record of the models asked for");
      JsonNode res = llmbench.testutil.Results.mockLevel(out);
      JsonNode per = res.get("per_model");
      assertEquals(List.of("chat", "code", "sql"), List.copyOf(JSON.convertValue(per, Map.class).keySet()));
      List<RequestRecord> records = GatlingRuns.measured(work.resolve("gatling"));
      for (String adapter : List.of("chat", "code", "sql")) {
        assertEquals(10, per.get(adapter).get("completed").asInt(), adapter);
        double[] ttfts = records.stream().filter(r -> r.model().equals(adapter))
            .mapToDouble(r -> (r.chunkNs()[0] - r.startNs()) / 1e6).sorted().toArray();
        assertEquals((ttfts[4] + ttfts[5]) / 2, per.get(adapter).get("median_ttft_ms").asDouble(), 1e-6,
            adapter + ": vLLM's median over its own requests");
      }
      assertEquals("sql,chat,code (round-robin)", res.get("lora_modules").asText());
      // one adapter resident at a time and each request for the next: every one paid the 20 ms load (x0.1)
      assertTrue(res.get("median_ttft_ms").asDouble() >= 2, res.get("median_ttft_ms").toString());
    }
  }

  @Test
  void anAdapterTheServerDoesNotListIsRefusedBeforeTheLevels() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "lora-missing");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.1).keepTraces(true)
        .loraModules(List.of("sql")).build())) {
      List<String> args = List.of("--url", mock.baseUrl(), "--profiles", "low", "--levels", "1", "--rounds", "1",
          "--lora-modules", "sql,nope", "--out", work.resolve("out").toString(), "--gatling-results",
          work.resolve("g").toString(), "--nvidia-smi", "/nonexistent");
      String err = Sweeps.stderr(args, 1);
      assertTrue(err.contains("--lora-modules: the server does not list nope in /v1/models (it lists "
          + "mock/llmbench-8b, sql)"), err);
      assertEquals(0, mock.requests("/v1/completions"), "nothing generated");
    }
  }

  @Test
  void aQuarterOfTheStreamsIsCancelledNoneAFailure() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "cancel");
    Path out = work.resolve("out");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).keepTraces(true).build())) {
      Sweeps.sweep(work, "--url", mock.baseUrl(), "--profiles", "low", "--levels", "4", "--rounds", "10",
          "--output-len", "60", "--cancel-rate", "25%", "--cancel-after-tokens", "5", "--out", out.toString());
      List<RequestRecord> records = GatlingRuns.measured(work.resolve("gatling"));
      assertEquals(40, records.size());
      List<RequestRecord> cancelled = records.stream().filter(RequestRecord::cancelled).toList();
      assertEquals(10, cancelled.size());
      Thread.sleep(300); // the mock records a closed stream once its close reached it
      for (RequestRecord r : records) {
        GroundTruth.Trace t = mock.groundTruth().get(r.id());
        if (r.cancelled()) {
          assertEquals("client-closed", t.outcome(), r.id());
          assertTrue(t.completionTokens() < 60, "the server stopped generating: " + t.completionTokens());
        } else {
          assertTrue(r.success(), r.error());
          assertEquals("ok", t.outcome());
        }
      }
      JsonNode res = llmbench.testutil.Results.mockLevel(out);
      assertEquals(10, res.get("cancelled").asInt());
      assertEquals(30, res.get("completed").asInt());
      assertEquals(0, res.get("failed").asInt());
      assertEquals(30, res.get("ttfts").size(), "the statistics are of the 30 that were not cancelled");
      assertTrue(res.get("failures_by_kind") == null || res.get("failures_by_kind").isEmpty());
      assertEquals("0.2500 of the requests, after 5 tokens", res.get("cancel").asText());
      assertNull(res.get("stopped_by"));
    }
  }

  @Test
  void badLoraAndCancelOptionsAreOneLine() throws Exception {
    Sweeps.refusedBeforeAnything("badlora", List.of("--mock"), Map.of(
        List.of("--lora-modules", "a:0.5,b:0.4"), "error: --lora-modules: the weights add up to 0.9, not 1",
        List.of("--lora-assignment", "random"), "error: --lora-assignment spreads requests over --lora-modules: give "
            + "the adapters too",
        List.of("--cancel-rate", "0.25"), "error: --cancel-rate needs when to cancel: give --cancel-after-tokens N or "
            + "--cancel-after DURATION (e.g. 500ms)",
        List.of("--cancel-after-tokens", "5"), "error: --cancel-after-tokens says when to cancel the streams of "
            + "--cancel-rate: give --cancel-rate X",
        List.of("--cancel-rate", "2", "--cancel-after", "1s"), "error: --cancel-rate: '2' is not a share above 0 and "
            + "at most 1 (e.g. 0.25 or 25%)"));
  }
}
