package llmbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import llmbench.stats.LevelMetrics;
import org.junit.jupiter.api.Test;

class ConsoleBlockTest {
  static LevelMetrics.Summary s(double mean, double median, double p99) {
    return new LevelMetrics.Summary(mean, median, 0, Map.of(99.0, p99));
  }

  /** The seed's numbers (FIELD_NOTES §1) with newer vLLM's added lines. */
  static LevelReport seedReport(Double goodput) {
    LevelMetrics m = new LevelMetrics(1, 87.72, 1, 0, 14336, 2048, 0.0114, goodput, 23.35, 186.77,
        24.0, 1, List.of(), List.of(), List.of(), List.of(), List.of(), null,
        new java.util.LinkedHashMap<>(Map.of("ttft", s(151.31, 151.31, 151.31), "tpot", s(42.78, 42.78, 42.78),
            "itl", s(42.78, 42.76, 43.52), "e2el", s(87720, 87720, 87720))), 2047, 1);
    return new LevelReport("20261127-120000", "vllm", "org/Model-8B", "tok", 1, 14336, 2048, Map.of(),
        List.of("ttft", "tpot", "itl"), List.of(99.0), goodput != null, m);
  }

  @Test
  void matchesTheSeedBlockLineForLine() {
    String block = ConsoleBlock.render(seedReport(null));
    String expected = String.join("\n",
        "============ Serving Benchmark Result ============",
        "Successful requests:                     1         ",
        "Failed requests:                         0         ",
        "Maximum request concurrency:             1         ",
        "Benchmark duration (s):                  87.72     ",
        "Total input tokens:                      14336     ",
        "Total generated tokens:                  2048      ",
        "Request throughput (req/s):              0.01      ",
        "Output token throughput (tok/s):         23.35     ",
        "Peak output token throughput (tok/s):    24.00     ",
        "Peak concurrent requests:                1.00      ",
        "Total Token throughput (tok/s):          186.77    ",
        "---------------Time to First Token----------------",
        "Mean TTFT (ms):                          151.31    ",
        "Median TTFT (ms):                        151.31    ",
        "P99 TTFT (ms):                           151.31    ",
        "-----Time per Output Token (excl. 1st token)------",
        "Mean TPOT (ms):                          42.78     ",
        "Median TPOT (ms):                        42.78     ",
        "P99 TPOT (ms):                           42.78     ",
        "---------------Inter-token Latency----------------",
        "Mean ITL (ms):                           42.78     ",
        "Median ITL (ms):                         42.76     ",
        "P99 ITL (ms):                            43.52     ",
        "==================================================", "");
    assertEquals(expected, block);
  }

  @Test
  void addsGoodputAndEndToEndWhenAsked() {
    LevelReport r = seedReport(0.01);
    LevelReport withE2el = new LevelReport(r.date(), r.endpointType(), r.modelId(), r.tokenizerId(), 1,
        r.inputLen(), r.outputLen(), r.metadata(), List.of("ttft", "tpot", "itl", "e2el"), r.percentiles(),
        true, r.metrics());
    String block = ConsoleBlock.render(withE2el);
    assertTrue(block.contains("Request goodput (req/s):                 0.01      \n"));
    assertTrue(block.contains("----------------End-to-end Latency----------------\n"));
    assertTrue(block.contains("P99 E2EL (ms):                           87720.00  \n"));
  }

  @Test
  void namesFilesAsTheSeed() {
    assertEquals("Model-8B_14336-2048_1.json", seedReport(null).fileName());
    assertEquals("99.9", ConsoleBlock.percentileWord(99.9));
    assertEquals("99", ConsoleBlock.percentileWord(99));
  }
}
