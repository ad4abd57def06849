package llmbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The sweep across levels, one row per level, from the levels' result files: CSV and Markdown. */
public final class SweepSummary {
  private static final String[] HEADER = {"profile", "level", "concurrency", "request rate", "in", "out", "prompts",
      "failed", "req/s", "output tok/s", "total tok/s", "mean TTFT ms", "median TTFT ms", "p99 TTFT ms",
      "mean TPOT ms", "median TPOT ms", "p99 TPOT ms", "mean ITL ms", "median ITL ms", "p99 ITL ms",
      "mean E2EL ms", "median E2EL ms", "p99 E2EL ms", "peak GPU MiB", "server running max",
      "server waiting max", "server KV cache max %", "server preemptions", "server mean TTFT ms",
      "failures by kind"};

  /** One level's line; {@code peakGpuMiB} is null without GPU samples. */
  public record Row(JsonNode result, Double peakGpuMiB) {
    public List<String> cells() {
      List<String> c = new ArrayList<>();
      c.add(result.path("profile").asText());
      c.add(result.path("level").asText());
      c.add(result.path("max_concurrency").isNumber() ? result.get("max_concurrency").asText() : "");
      JsonNode rate = result.path("request_rate");
      c.add(!result.has("arrival_seed") ? "" // a closed-model level has none
          : rate.isNumber() ? new java.math.BigDecimal(rate.asText()).stripTrailingZeros().toPlainString() : rate.asText());
      c.add(result.path("random_input_len").asText());
      c.add(result.path("random_output_len").asText());
      c.add(result.path("num_prompts").asText());
      c.add(result.path("failed").asText());
      c.add(f(result.path("request_throughput")));
      c.add(f(result.path("output_throughput")));
      c.add(f(result.path("total_token_throughput")));
      for (String m : new String[] {"ttft", "tpot", "itl", "e2el"}) {
        c.add(f(result.path("mean_" + m + "_ms")));
        c.add(f(result.path("median_" + m + "_ms")));
        c.add(f(result.path("p99_" + m + "_ms")));
      }
      c.add(peakGpuMiB == null ? "" : String.format(Locale.ROOT, "%.0f", peakGpuMiB));
      // the server's own view (its /metrics), blank when it has none
      c.add(f0(result.path("server_running_max")));
      c.add(f0(result.path("server_waiting_max")));
      c.add(f(result.path("server_kv_cache_usage_max_pct")));
      c.add(f0(result.path("server_preemptions")));
      c.add(f(result.path("server_mean_ttft_ms")));
      Map<String, Integer> kinds = new java.util.LinkedHashMap<>();
      result.path("failures_by_kind").fields().forEachRemaining(e -> kinds.put(e.getKey(), e.getValue().asInt()));
      c.add(llmbench.trace.FailureKinds.describe(kinds));
      return c;
    }
  }

  private SweepSummary() {}

  public static List<String> header() {
    return List.of(HEADER);
  }

  private static String f0(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.0f", n.asDouble()) : "";
  }

  private static String f(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.2f", n.asDouble()) : "";
  }

  public static String csv(List<Row> rows) throws IOException {
    StringWriter w = new StringWriter();
    try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(HEADER).get())) {
      for (Row r : rows) {
        p.printRecord(r.cells());
      }
    }
    return w.toString();
  }

  public static String markdown(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
    sb.append("|").append(" --- |".repeat(HEADER.length)).append('\n');
    for (Row r : rows) {
      sb.append("| ").append(String.join(" | ", r.cells())).append(" |\n");
    }
    return sb.toString();
  }
}
