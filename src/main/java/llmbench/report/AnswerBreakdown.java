package llmbench.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import llmbench.stats.Distribution;
import llmbench.stats.LevelMetrics;
import llmbench.stats.Slo;
import llmbench.stats.VllmMetrics;
import llmbench.trace.RequestRecord;

/**
 * A level's requests seen three more ways, beside vLLM's figures for all of them: per model asked for
 * (a run over LoRA adapters), the answers that were what was asked (structured output, tool calls) and
 * their latencies, and the streams the client cancelled on purpose (counted apart, in no statistic).
 * Each subset's latencies are vLLM's, computed by {@link VllmMetrics} on that subset alone.
 */
final class AnswerBreakdown implements AutoCloseable {
  private final Path tempDir;
  private final VllmMetrics.TextTokenCounter counter;
  private final Map<String, VllmMetrics.Level> byModel = new TreeMap<>();
  private VllmMetrics.Level valid;
  private int checked;
  private int validCount;
  private final Map<String, Integer> invalidWhy = new TreeMap<>();
  private final List<Double> toolCallMs = new ArrayList<>();
  private int cancelled;
  private long cancelledChunks;

  AnswerBreakdown(Path tempDir, VllmMetrics.TextTokenCounter counter) {
    this.tempDir = tempDir;
    this.counter = counter;
  }

  /** A record the level counts (not cancelled). */
  void add(RequestRecord r) {
    if (r.model() != null) {
      byModel.computeIfAbsent(r.model(), k -> new VllmMetrics.Level(tempDir, counter)).add(r);
    }
    if (r.success() && r.valid() != null) {
      checked++;
      if (r.valid()) {
        validCount++;
        if (valid == null) {
          valid = new VllmMetrics.Level(tempDir, counter);
        }
        valid.add(r);
      } else {
        String why = r.invalidWhy() == null ? "invalid" : r.invalidWhy();
        int colon = why.indexOf(':');
        invalidWhy.merge(colon > 0 ? why.substring(0, colon) : why, 1, Integer::sum);
      }
    }
    if (r.success() && r.toolCallNs() != 0) {
      toolCallMs.add((r.toolCallNs() - r.startNs()) / 1e6);
    }
  }

  void cancelled(RequestRecord r) {
    cancelled++;
    cancelledChunks += r.chunkNs().length;
  }

  /** The result's keys; {@code lines} gets what the console says of them. */
  Map<String, Object> keys(List<Double> percentiles, List<String> lines) {
    Map<String, Object> k = new LinkedHashMap<>();
    if (cancelled > 0) {
      k.put("cancelled", cancelled);
      k.put("cancelled_mean_chunks", (double) cancelledChunks / cancelled);
      lines.add(String.format(Locale.ROOT, "cancelled by the client: %d requests (after %.1f chunks on average), in no "
          + "statistic above", cancelled, (double) cancelledChunks / cancelled));
    }
    if (checked > 0) {
      double fraction = (double) validCount / checked;
      k.put("answers_checked", checked);
      k.put("answers_valid", validCount);
      k.put("valid_fraction", fraction);
      k.put("invalid_by_reason", invalidWhy);
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "valid answers: %d of %d (%.1f %%)",
          validCount, checked, 100 * fraction));
      if (valid != null) {
        LevelMetrics m = valid.finish(percentiles, Slo.NONE);
        for (String metric : List.of("ttft", "tpot")) {
          LevelMetrics.Summary s = m.summaries().get(metric);
          k.put("mean_" + metric + "_ms_valid", s.mean());
          k.put("median_" + metric + "_ms_valid", s.median());
          s.percentiles().forEach((p, v) -> k.put("p" + ConsoleBlock.percentileWord(p) + "_" + metric + "_ms_valid", v));
          line.append(String.format(Locale.ROOT, "; %s of valid ones: median %.2f ms", metric.toUpperCase(Locale.ROOT),
              s.median()));
        }
      }
      if (!invalidWhy.isEmpty()) {
        line.append("; invalid: ").append(invalidWhy);
      }
      lines.add(line.toString());
    }
    if (!toolCallMs.isEmpty()) {
      Distribution d = new Distribution(toolCallMs.stream().mapToDouble(Double::doubleValue).toArray());
      k.put("tool_call_answers", toolCallMs.size());
      k.put("mean_ttftc_ms", d.mean());
      k.put("median_ttftc_ms", d.median());
      for (double p : percentiles) {
        k.put("p" + ConsoleBlock.percentileWord(p) + "_ttftc_ms", d.percentile(p));
      }
      lines.add(String.format(Locale.ROOT, "tool calls: %d answers; time to the first tool-call token: mean %.2f ms, "
          + "median %.2f ms", toolCallMs.size(), d.mean(), d.median()));
    }
    if (byModel.size() > 1) {
      Map<String, Object> per = new LinkedHashMap<>();
      byModel.forEach((model, level) -> {
        LevelMetrics m = level.finish(percentiles, Slo.NONE);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("completed", m.completed());
        row.put("failed", m.failed());
        row.put("total_output_tokens", m.totalOutput());
        row.put("request_throughput", m.requestThroughput());
        row.put("output_throughput", m.outputThroughput());
        for (String metric : VllmMetrics.DEFAULT_PERCENTILE_METRICS) {
          LevelMetrics.Summary s = m.summaries().get(metric);
          row.put("mean_" + metric + "_ms", s.mean());
          row.put("median_" + metric + "_ms", s.median());
          s.percentiles().forEach((p, v) -> row.put("p" + ConsoleBlock.percentileWord(p) + "_" + metric + "_ms", v));
        }
        per.put(model, row);
        lines.add(String.format(Locale.ROOT, "model %s: %d ok, %d failed, median TTFT %.2f ms, median TPOT %.2f ms, "
            + "%.2f output tok/s", model, m.completed(), m.failed(), m.summaries().get("ttft").median(),
            m.summaries().get("tpot").median(), m.outputThroughput()));
      });
      k.put("per_model", per);
    }
    return k;
  }

  @Override
  public void close() {
    byModel.values().forEach(VllmMetrics.Level::close);
    if (valid != null) {
      valid.close();
    }
  }
}
