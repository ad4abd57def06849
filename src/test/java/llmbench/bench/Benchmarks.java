package llmbench.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code bench/run.sh}: runs the benchmarks, prints their tables, writes JSON and docs/PERFORMANCE.md. */
public final class Benchmarks {
  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    boolean quick = java.util.Arrays.asList(args).contains("--quick");
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("mock_capacity_1000", MockBench.capacity(1000, 100, 10));
    results.put("mock_lateness_256", MockBench.capacity(256, quick ? 100 : 300, 10));
    results.put("mock_curve", MockBench.curve(quick ? new int[] {1, 16, 64} : new int[] {1, 2, 4, 8, 16, 32, 64, 128, 256}));
    System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValueAsString(results));
    System.exit(0);
  }
}
