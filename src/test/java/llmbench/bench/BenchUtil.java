package llmbench.bench;

import java.util.List;
import java.util.Locale;
import llmbench.stats.Distribution;

/** Helpers shared by the benchmarks: request bodies and number formatting. */
final class BenchUtil {
  private BenchUtil() {}

  static String body(int promptWords, int maxTokens) {
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < promptWords; i++) {
      p.append(i == 0 ? "ba" : " be");
    }
    return "{\"prompt\":\"" + p + "\",\"max_tokens\":" + maxTokens
        + ",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"ignore_eos\":true}";
  }

  static String ms(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static String pct(Distribution d) {
    return "p50 " + ms(d.median()) + " / p99 " + ms(d.percentile(99)) + " / max " + ms(max(d));
  }

  static double max(Distribution d) {
    return d.size() == 0 ? 0 : d.percentile(100);
  }

  static Distribution dist(List<Double> v) {
    return new Distribution(v.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
