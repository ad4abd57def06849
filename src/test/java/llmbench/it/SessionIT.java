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
import llmbench.testutil.GatlingRuns;
import llmbench.trace.RequestRecord;
import org.junit.jupiter.api.Test;

/**
 * Multi-turn chat sessions against the mock's H100 model (prefill ~29 ms per 1,024 tokens): each turn
 * re-sends the history, so its prompt grows by a turn; with the prefix cache the history is not
 * prefilled again and later turns' TTFT stays where the first turn's was, without it TTFT grows.
 */
class SessionIT {
  record Run(JsonNode result, List<RequestRecord> records) {}

  private static Run run(boolean prefixCaching) throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path tok = Files.createTempDirectory(work, "tokenizer");
    BuiltinTokenizer.writeTo(tok);
    Path out = Files.createTempDirectory(work, "output");
    Path results = Files.createTempDirectory(work, "gatling");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).prefixCaching(prefixCaching).tokenizerDir(tok)
        .build())) {
      assertEquals(0, Runs.smoke(Map.of("--url",
          mock.baseUrl(), "--tokenizer", tok.toString(), "--input-len", "1000", "--output-len", "16", "--levels", "4",
          "--turns", "3", "--think-time-ms", "20", "--out", out.toString(), "--gatling-results", results.toString(),
          "--metrics-interval-ms", "100")));
    }
    JsonNode r = new ObjectMapper().readTree(out.resolve("llmbench-8b_1000-16_12.json").toFile());
    return new Run(r, GatlingRuns.measured(results));
  }

  @Test
  void laterTurnsResendTheHistoryAndTheCacheKeepsTheirTtftDown() throws Exception {
    Run cached = run(true);
    Run uncached = run(false);
    for (Run run : List.of(cached, uncached)) {
      assertEquals(12, run.records().size(), "4 sessions of 3 turns");
      for (int t = 1; t <= 3; t++) {
        int turn = t;
        assertEquals(4, run.records().stream().filter(r -> r.turn() == turn).count(), "requests of turn " + t);
      }
      assertEquals(4, run.result().get("sessions").asInt());
      assertEquals(4, run.records().stream().mapToLong(RequestRecord::session).distinct().count(), "a session each");
      List<Double> input = doubles(run.result().get("mean_input_tokens_by_turn"));
      assertEquals(1000.0, input.get(0), "the first turn is the profile's prompt");
      // each later turn carries the earlier ones: the previous prompt, its answer, a new message of ~1000
      assertTrue(input.get(1) > input.get(0) + 1000 && input.get(2) > input.get(1) + 1000, input.toString());
    }
    double hits = cached.result().get("server_prefix_cache_hit_rate").asDouble();
    assertTrue(hits > 0.3, "prefix-cache hit rate " + hits);
    assertEquals(0.0, uncached.result().get("server_prefix_cache_hit_rate").asDouble());
    List<Double> withCache = doubles(cached.result().get("mean_ttft_ms_by_turn"));
    List<Double> without = doubles(uncached.result().get("mean_ttft_ms_by_turn"));
    assertTrue(withCache.get(2) < 0.7 * without.get(2), "turn 3 TTFT with the cache " + withCache + ", without " + without);
    assertTrue(without.get(2) > 1.5 * without.get(0), "without the cache turn 3 prefills three turns: " + without);
  }

  private static List<Double> doubles(JsonNode n) {
    List<Double> out = new java.util.ArrayList<>();
    n.forEach(x -> out.add(x.asDouble()));
    return out;
  }
}
