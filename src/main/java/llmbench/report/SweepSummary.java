package llmbench.report;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import llmbench.results.LevelResult;
import llmbench.trace.FailureKinds;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The sweep across levels, one row per level, from the levels' result files: CSV and Markdown. */
public final class SweepSummary {
  private static final String[] HEADER = {"profile", "level", "concurrency", "request rate", "in", "out", "prompts",
      "failed", "req/s", "output tok/s", "total tok/s", "mean TTFT ms", "median TTFT ms", "p99 TTFT ms",
      "mean TPOT ms", "median TPOT ms", "p99 TPOT ms", "mean ITL ms", "median ITL ms", "p99 ITL ms",
      "mean E2EL ms", "median E2EL ms", "p99 E2EL ms", "peak GPU MiB", "server running max",
      "server waiting max", "server KV cache max %", "server preemptions", "server mean TTFT ms",
      "failures by kind", "mean TTFO ms", "p99 TTFO ms", "reasoning tokens", "tokens per chunk",
      "server spec acceptance %", "run"};

  /** One level's line; {@code peakGpuMiB} is null without GPU samples. */
  public record Row(LevelResult result, Double peakGpuMiB) {
    public List<String> cells() {
      LevelResult r = result;
      List<String> c = new ArrayList<>();
      c.add(r.profile());
      c.add(r.level());
      c.add(r.maxConcurrency() == null ? "" : r.maxConcurrency().toString());
      c.add(r.open() ? r.scheduleText().replaceAll("qps$", "") : ""); // a closed-model level has none
      c.add(text(r.randomInputLen()));
      c.add(text(r.randomOutputLen()));
      c.add(Integer.toString(r.numPrompts()));
      c.add(Integer.toString(r.failed()));
      c.add(f(r.requestThroughput()));
      c.add(f(r.outputThroughput()));
      c.add(f(r.totalTokenThroughput()));
      for (String m : LevelResult.METRICS) {
        LevelResult.MetricStats s = r.stats(m);
        c.add(f(s.mean()));
        c.add(f(s.median()));
        c.add(f(s.percentile(99)));
      }
      c.add(peakGpuMiB == null ? "" : String.format(Locale.ROOT, "%.0f", peakGpuMiB));
      // the server's own view (its /metrics), blank when it has none
      c.add(f0(r.number("server_running_max")));
      c.add(f0(r.number("server_waiting_max")));
      c.add(f(r.number("server_kv_cache_usage_max_pct")));
      c.add(f0(r.number("server_preemptions")));
      c.add(f(r.number("server_mean_ttft_ms")));
      c.add(FailureKinds.describe(r.failuresByKind() == null ? Map.of() : r.failuresByKind()));
      // a reasoning model's time to its answer, and speculative decoding: blank for the others
      LevelResult.MetricStats ttfo = r.stats("ttfo");
      c.add(f(ttfo.mean()));
      c.add(f(ttfo.percentile(99)));
      c.add(f0(r.number("total_reasoning_tokens")));
      c.add(f(r.number("mean_tokens_per_chunk")));
      Double accept = r.number("server_spec_acceptance_rate");
      c.add(f(accept == null ? null : accept * 100));
      c.add(r.other().containsKey(LevelResult.REPEAT_RUN) ? Integer.toString(r.run()) : ""); // blank: ran once
      return c;
    }
  }

  private SweepSummary() {}

  public static List<String> header() {
    return List.of(HEADER);
  }

  private static String text(Object v) {
    return v == null ? "" : v.toString();
  }

  private static String f0(Double n) {
    return n == null ? "" : String.format(Locale.ROOT, "%.0f", n);
  }

  private static String f(Double n) {
    return n == null ? "" : String.format(Locale.ROOT, "%.2f", n);
  }

  public static String csv(List<Row> rows) throws IOException {
    return csv(rows, List.of());
  }

  /** The levels' rows, then each repeated level's spread rows (the {@code run} column names the statistic). */
  public static String csv(List<Row> rows, List<llmbench.results.LevelSpread> spreads) throws IOException {
    StringWriter w = new StringWriter();
    try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(HEADER).get())) {
      for (Row r : rows) {
        p.printRecord(r.cells());
      }
      List<String> keys = headlineKeys();
      for (llmbench.results.LevelSpread s : spreads) {
        for (List<String> cells : SpreadBlock.csvRows(s, keys, 0, 1)) {
          p.printRecord(cells);
        }
      }
    }
    return w.toString();
  }

  /** Each column's headline metric key (vLLM's), null for the others; the {@code run} column left out. */
  static List<String> headlineKeys() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < HEADER.length - 1; i++) {
      String h = HEADER[i];
      String key = switch (h) {
        case "req/s" -> "request_throughput";
        case "output tok/s" -> "output_throughput";
        case "total tok/s" -> "total_token_throughput";
        default -> h.matches("(mean|median|p99) (TTFT|TPOT|ITL|E2EL) ms")
            ? h.replace(" ms", "_ms").replace(' ', '_').toLowerCase(Locale.ROOT) : null;
      };
      keys.add(key);
    }
    return keys;
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
