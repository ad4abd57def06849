package llmbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import llmbench.results.LevelResult;
import llmbench.testutil.Results;
import org.junit.jupiter.api.Test;

class ConsoleBlockTest {
  /** The seed's numbers (FIELD_NOTES §1) with newer vLLM's added lines. */
  static LevelResult seedReport(Double goodput, List<String> metrics) {
    Map<String, double[]> all = new java.util.LinkedHashMap<>();
    all.put("ttft", new double[] {151.31, 151.31, 151.31});
    all.put("tpot", new double[] {42.78, 42.78, 42.78});
    all.put("itl", new double[] {42.78, 42.76, 43.52});
    all.put("e2el", new double[] {87720, 87720, 87720});
    all.keySet().retainAll(metrics);
    return new LevelResult("20261127-120000", "vllm", "vllm", "org/Model-8B", "tok", 1, LevelResult.TOOL, "high",
        "c001", 14336, 2048, null, null, null, null, null, null, Map.of(), List.of(), Double.POSITIVE_INFINITY, 1.0, 1,
        87.72, 1, 0, 14336, 2048, 0.0114, goodput, 23.35, 186.77, null, null, null, null, null, null, null, null, 24.0, 1,
        Results.stats(all));
  }

  @Test
  void matchesTheSeedBlockLineForLine() {
    String block = ConsoleBlock.render(seedReport(null, List.of("ttft", "tpot", "itl")));
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
    String block = ConsoleBlock.render(seedReport(0.01, List.of("ttft", "tpot", "itl", "e2el")));
    assertTrue(block.contains("Request goodput (req/s):                 0.01      \n"));
    assertTrue(block.contains("----------------End-to-end Latency----------------\n"));
    assertTrue(block.contains("P99 E2EL (ms):                           87720.00  \n"));
  }

  @Test
  void namesFilesAsTheSeed() {
    assertEquals("Model-8B_14336-2048_1.json", seedReport(null, List.of("ttft")).fileName());
    assertEquals("99.9", ConsoleBlock.percentileWord(99.9));
    assertEquals("99", ConsoleBlock.percentileWord(99));
  }
}
