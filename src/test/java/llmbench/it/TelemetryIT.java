package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.testutil.Runs;
import llmbench.simulation.SmokeLoad;
import llmbench.telemetry.MetricsScraper;
import llmbench.telemetry.TelemetryCsv;
import llmbench.testutil.GatlingRuns;
import org.junit.jupiter.api.Test;

/**
 * The server's /metrics scraped beside a run against the mock, whose scheduler is known: at most 16
 * running, so a level of 8 runs whole and a level of 32 queues half its requests. Long prompts and
 * outputs give the levels a steady state and TTFTs of hundreds of ms. The mock's
 * histograms are its own record of what it did, so its mean TTFT must agree with the client's.
 */
class TelemetryIT {
  @Test
  void theMocksMetricsExplainEachLevel() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path tok = Files.createTempDirectory(work, "ttok");
    BuiltinTokenizer.writeTo(tok);
    Path out = Files.createTempDirectory(work, "tout");
    Path results = Files.createTempDirectory(work, "tgatling");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).maxNumSeqs(16).tokenizerDir(tok).build())) {
      Map<String, String> props = Map.of("--url", mock.baseUrl(), "--tokenizer", tok.toString(),
          "--input-len", "1000", "--output-len", "300", "--levels", "8,32",
          "--metrics-interval-ms", "100", "--out", out.toString(), "--gatling-results", results.toString());
      assertEquals(0, Runs.smoke(props));
    }
    Path runDir = GatlingRuns.only(results);
    List<TelemetryCsv.Scrape> scrapes = TelemetryCsv.read(runDir.resolve(MetricsScraper.FILE_NAME));
    for (String level : List.of("c008", "c032")) {
      assertEquals(1, scrapes.stream().filter(s -> s.level().equals(level) && s.event().equals("start")).count());
      assertEquals(1, scrapes.stream().filter(s -> s.level().equals(level) && s.event().equals("end")).count());
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode c8 = json.readTree(out.resolve("llmbench-8b_1000-300_8.json").toFile());
    JsonNode c32 = json.readTree(out.resolve("llmbench-8b_1000-300_32.json").toFile());
    assertEquals("vllm", c8.get("server_metrics_engine").asText());
    // a level of 8 runs whole: in its steady state (the middle half of its ticks; at its start the
    // requests that arrive during the first one's prefill step wait for that step) all 8 run, none waits
    List<TelemetryCsv.Scrape> ticks = scrapes.stream().filter(s -> s.level().equals("c008") && s.event().equals("tick")).toList();
    assertTrue(ticks.size() >= 12, "ticks in c008: " + ticks.size());
    for (TelemetryCsv.Scrape t : ticks.subList(ticks.size() / 4, ticks.size() * 3 / 4)) {
      assertEquals(8.0, t.get("running"), "running at " + t.epochMs());
      assertEquals(0.0, t.get("waiting"), "waiting at " + t.epochMs());
    }
    assertEquals(8.0, c8.get("server_running_max").asDouble());
    assertEquals(16.0, c32.get("server_running_max").asDouble(), "max_num_seqs caps the running batch");
    assertTrue(c32.get("server_waiting_max").asDouble() >= 8, "half the level waits: " + c32.get("server_waiting_max"));
    assertTrue(c32.get("server_mean_queue_ms").asDouble() > 5 * c8.get("server_mean_queue_ms").asDouble() + 1,
        "queue time grows once requests wait: " + c8.get("server_mean_queue_ms") + " → " + c32.get("server_mean_queue_ms"));
    for (JsonNode r : List.of(c8, c32)) {
      String level = r.get("level").asText();
      assertEquals(r.get("completed").asDouble(), r.get("server_requests_finished").asDouble(), level);
      assertEquals(r.get("total_output_tokens").asDouble() > 0, true);
      assertEquals(0.0, r.get("server_preemptions").asDouble(), level);
      double client = r.get("mean_ttft_ms").asDouble();
      double server = r.get("server_mean_ttft_ms").asDouble();
      assertTrue(Math.abs(server - client) <= 0.05 * client,
          level + ": the mock's mean TTFT " + server + " ms against the client's " + client + " ms");
      assertTrue(server <= client, level + ": the server cannot see a first token before the client does");
      double clientItl = r.get("mean_itl_ms").asDouble();
      assertTrue(Math.abs(r.get("server_mean_itl_ms").asDouble() - clientItl) <= 0.1 * clientItl, level);
      assertTrue(r.get("server_kv_cache_usage_max_pct").asDouble() > 0);
      assertEquals(false, r.get("server_restarted").asBoolean());
    }
  }
}
