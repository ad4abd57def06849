package llmbench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import llmbench.stats.LevelMetrics;
import llmbench.stats.ModelMetrics;

/**
 * {@link ModelMetrics}' figures in a level's result (new keys beside vLLM's, which stay as they are)
 * and on the console: a "Time to First Output Token" section when the level's model reasoned, a line of
 * tokens per chunk and per-token ITL when its chunks held several tokens, a warning when outputs were
 * not the asked length.
 */
final class ModelKeys {
  private ModelKeys() {}

  static Map<String, Object> of(ModelMetrics.Result r, List<Double> percentiles) {
    Map<String, Object> m = new LinkedHashMap<>();
    ModelMetrics.Reasoning reasoning = r.reasoning();
    if (reasoning != null) {
      m.put("ttfos", reasoning.ttfos());
      m.put("reasoning_lens", reasoning.reasoningLens());
      m.put("total_reasoning_tokens", reasoning.totalReasoningTokens());
      m.put("total_answer_tokens", reasoning.totalAnswerTokens());
      m.put("answer_output_throughput", reasoning.answerThroughput());
      m.put("reasoning_tokens_counted_by", reasoning.countedBy());
      stats(m, "ttfo", reasoning.ttfo());
    }
    ModelMetrics.Chunking chunking = r.chunking();
    if (chunking != null) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      chunking.tokensPerChunk().forEach((k, v) -> counts.put(Integer.toString(k), v));
      m.put("tokens_per_chunk", counts);
      m.put("mean_tokens_per_chunk", chunking.meanTokensPerChunk());
      stats(m, "itl_per_token", chunking.perTokenItl());
    }
    ModelMetrics.OutputLengths lengths = r.outputLengths();
    if (lengths != null) {
      m.put("output_len_different", lengths.different());
    }
    return m;
  }

  private static void stats(Map<String, Object> m, String metric, LevelMetrics.Summary s) {
    m.put("mean_" + metric + "_ms", s.mean());
    m.put("median_" + metric + "_ms", s.median());
    m.put("std_" + metric + "_ms", s.std());
    s.percentiles().forEach((p, v) -> m.put("p" + ConsoleBlock.percentileWord(p) + "_" + metric + "_ms", v));
  }

  static List<String> consoleLines(ModelMetrics.Result r, List<Double> percentiles) {
    List<String> lines = new ArrayList<>();
    ModelMetrics.Reasoning reasoning = r.reasoning();
    if (reasoning != null) {
      lines.add(ConsoleBlock.center("Time to First Output Token", '-'));
      lines.add(ConsoleBlock.line("Mean TTFO (ms):", f2(reasoning.ttfo().mean())));
      lines.add(ConsoleBlock.line("Median TTFO (ms):", f2(reasoning.ttfo().median())));
      reasoning.ttfo().percentiles().forEach((p, v) ->
          lines.add(ConsoleBlock.line("P" + ConsoleBlock.percentileWord(p) + " TTFO (ms):", f2(v))));
      lines.add(ConsoleBlock.line("Reasoning tokens:", Long.toString(reasoning.totalReasoningTokens())));
      lines.add(ConsoleBlock.line("Answer tokens:", Long.toString(reasoning.totalAnswerTokens())));
      lines.add(ConsoleBlock.line("Answer token throughput (tok/s):", f2(reasoning.answerThroughput())));
      lines.add("=".repeat(50));
    }
    ModelMetrics.Chunking chunking = r.chunking();
    if (chunking != null && chunking.meanTokensPerChunk() > 1) {
      long chunks = chunking.tokensPerChunk().values().stream().mapToLong(Integer::longValue).sum();
      List<String> shares = new ArrayList<>();
      chunking.tokensPerChunk().forEach((t, n) -> shares.add(t + ": " + String.format(Locale.ROOT, "%.0f %%",
          100.0 * n / chunks)));
      LevelMetrics.Summary itl = chunking.perTokenItl();
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "tokens per chunk: mean %.2f (%s); ITL per token: "
          + "mean %.2f ms, median %.2f ms", chunking.meanTokensPerChunk(), String.join(", ", shares), itl.mean(),
          itl.median()));
      itl.percentiles().forEach((p, v) -> b.append(String.format(Locale.ROOT, ", P%s %.2f ms",
          ConsoleBlock.percentileWord(p), v)));
      lines.add(b.append(" (the block's ITL is per chunk, as vLLM's)").toString());
    }
    return lines;
  }

  /** Outputs of another length than asked: what ended them, and whether min_tokens could have held them. */
  static String lengthWarning(ModelMetrics.OutputLengths l, Map<String, Object> metadata) {
    if (l == null || l.different() == 0) {
      return null;
    }
    boolean sent = metadata != null && Boolean.TRUE.equals(metadata.get("min_tokens_sent"));
    return l.different() + " of " + l.checked() + " requests generated another length than the " + l.asked()
        + " tokens asked (" + l.min() + ".." + l.max() + "): " + (sent
            ? "min_tokens was sent, so the server did not honour it"
            : "the server ended them early (a stop id ignore_eos does not lift?) and min_tokens was not sent");
  }

  private static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
