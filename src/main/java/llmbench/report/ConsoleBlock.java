package llmbench.report;

import java.util.Locale;
import java.util.Map;
import llmbench.results.LevelResult;

/**
 * vLLM's "Serving Benchmark Result" block, line for line (vllm/benchmarks/serve.py): each line
 * {@code "{:<40} {:<10}"}, floats with 2 decimals, headers centred in 50 dashes. The seed's users grep
 * for "Total Token throughput" with a capital T, so that label keeps the seed's spelling.
 */
public final class ConsoleBlock {
  private static final Map<String, String[]> NAMES = Map.of(
      "ttft", new String[] {"TTFT", "Time to First Token"},
      "tpot", new String[] {"TPOT", "Time per Output Token (excl. 1st token)"},
      "itl", new String[] {"ITL", "Inter-token Latency"},
      "e2el", new String[] {"E2EL", "End-to-end Latency"});

  private ConsoleBlock() {}

  public static String render(LevelResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append(center(" Serving Benchmark Result ", '=')).append('\n');
    line(sb, "Successful requests:", Integer.toString(r.completed()));
    line(sb, "Failed requests:", Integer.toString(r.failed()));
    if (r.maxConcurrency() != null) {
      line(sb, "Maximum request concurrency:", Integer.toString(r.maxConcurrency()));
    }
    if (r.requestRate() != null && !r.requestRate().isInfinite()) {
      line(sb, "Request rate configured (RPS):", f2(r.requestRate()));
    }
    line(sb, "Benchmark duration (s):", f2(r.duration()));
    // a pooling endpoint (embeddings, rerank) generates nothing: vLLM's block for it has no output lines
    boolean pooling = llmbench.workload.Endpoint.pooling(r.endpointType());
    line(sb, "Total input tokens:", Long.toString(r.totalInputTokens()));
    if (!pooling) {
      line(sb, "Total generated tokens:", Long.toString(r.totalOutputTokens()));
    }
    line(sb, "Request throughput (req/s):", f2(r.requestThroughput()));
    if (r.requestGoodput() != null) {
      line(sb, "Request goodput (req/s):", f2(r.requestGoodput()));
    }
    if (!pooling) {
      line(sb, "Output token throughput (tok/s):", f2(r.outputThroughput()));
      line(sb, "Peak output token throughput (tok/s):", f2(r.maxOutputTokensPerS()));
    }
    line(sb, "Peak concurrent requests:", f2(r.maxConcurrentRequests()));
    line(sb, "Total Token throughput (tok/s):", f2(r.totalTokenThroughput()));
    for (String metric : r.reportedMetrics()) {
      String[] n = NAMES.get(metric);
      LevelResult.MetricStats s = r.stats(metric);
      sb.append(center(n[1], '-')).append('\n');
      line(sb, "Mean " + n[0] + " (ms):", f2(s.mean()));
      line(sb, "Median " + n[0] + " (ms):", f2(s.median()));
      for (Map.Entry<Double, Double> p : s.percentiles().entrySet()) {
        line(sb, "P" + percentileWord(p.getKey()) + " " + n[0] + " (ms):", f2(p.getValue()));
      }
    }
    sb.append("=".repeat(50)).append('\n');
    return sb.toString();
  }

  /** 99 → "99", 99.9 → "99.9", as vLLM writes percentiles in labels and keys. */
  public static String percentileWord(double p) {
    return p == Math.floor(p) ? Long.toString((long) p) : Double.toString(p);
  }

  private static void line(StringBuilder sb, String label, String value) {
    sb.append(line(label, value)).append('\n');
  }

  /** One of the block's lines: {@code "{:<40} {:<10}"}. */
  static String line(String label, String value) {
    return String.format(Locale.ROOT, "%-40s %-10s", label, value);
  }

  private static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** Python's {@code "{s:{c}^{n}}"}: the odd pad character goes on the right. */
  static String center(String s, char c) {
    int pad = Math.max(0, 50 - s.length());
    int left = pad / 2;
    return String.valueOf(c).repeat(left) + s + String.valueOf(c).repeat(pad - left);
  }
}
