package llmbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import llmbench.testutil.Results;
import org.junit.jupiter.api.Test;

/** One row per level; the server's own columns are blank when it published nothing. */
class SweepSummaryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode result() {
    ObjectNode r = JSON.createObjectNode().put("tool", "gatling-llm-bench").put("profile", "low").put("level", "c032").put("max_concurrency", 32)
        .put("random_input_len", 100).put("random_output_len", 150).put("num_prompts", 32).put("failed", 0)
        .put("request_throughput", 30.123).put("output_throughput", 4500.0).put("total_token_throughput", 7700.0);
    for (String m : List.of("ttft", "tpot", "itl", "e2el")) {
      r.put("mean_" + m + "_ms", 1.0).put("median_" + m + "_ms", 2.0).put("p99_" + m + "_ms", 3.0);
    }
    return r;
  }

  @Test
  void theServersColumnsComeFromItsKeys() {
    ObjectNode r = result().put("server_running_max", 32.0).put("server_waiting_max", 3.0)
        .put("server_kv_cache_usage_max_pct", 12.345).put("server_preemptions", 2.0).put("server_mean_ttft_ms", 70.126);
    List<String> cells = new SweepSummary.Row(Results.of(r), 81234.4).cells();
    assertEquals(SweepSummary.header().size(), cells.size());
    assertEquals(List.of("81234", "32", "3", "12.35", "2", "70.13", ""), cells.subList(23, 30));
    r.putObject("failures_by_kind").put("HTTP 429", 3).put("timeout", 1);
    assertEquals("HTTP 429 × 3, timeout × 1", new SweepSummary.Row(Results.of(r), null).cells().get(29));
    assertEquals(List.of("low", "c032", "32", "", "100", "150", "32", "0", "30.12"), cells.subList(0, 9));
  }

  @Test
  void withoutServerMetricsOrGpuTheyAreBlank() throws Exception {
    List<String> cells = new SweepSummary.Row(Results.of(result()), null).cells();
    assertEquals(List.of("", "", "", "", "", "", ""), cells.subList(23, 30));
    String csv = SweepSummary.csv(List.of(new SweepSummary.Row(Results.of(result()), null))).lines().toList().get(1);
    assertEquals(true, csv.endsWith(",,,,,,"), csv);
  }

  @Test
  void aReasoningModelsAnswerTimeAndSpeculativeDecodingHaveColumnsOfTheirOwn() {
    List<String> plain = new SweepSummary.Row(Results.of(result()), null).cells();
    assertEquals(List.of("", "", "", "", ""), plain.subList(30, 35), "blank for a plain model");
    ObjectNode r = result().put("mean_ttfo_ms", 812.345).put("p99_ttfo_ms", 990.0).put("total_reasoning_tokens", 3840)
        .put("mean_tokens_per_chunk", 2.5).put("server_spec_acceptance_rate", 0.6125);
    assertEquals(List.of("812.35", "990.00", "3840", "2.50", "61.25"),
        new SweepSummary.Row(Results.of(r), null).cells().subList(30, 35));
    assertEquals(36, SweepSummary.header().size());
    assertEquals("run", SweepSummary.header().get(35));
    assertEquals("", plain.get(35), "a level run once has no run number");
  }

  @Test
  void aRequestRateLevelShowsItsRateAndNoCapAsBlank() {
    ObjectNode r = result().put("level", "r4").put("arrival_seed", 9L).put("request_rate", 4.0);
    r.putNull("max_concurrency");
    assertEquals(List.of("low", "r4", "", "4"), new SweepSummary.Row(Results.of(r), null).cells().subList(0, 4));
  }
}
