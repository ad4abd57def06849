package llmbench.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import llmbench.trace.RequestRecord;

/**
 * A session level's turns side by side: per turn, the mean TTFT (vLLM's definition: first chunk with
 * choices − request start, successful requests only) and the mean prompt the server counted, which
 * grows as the history is re-sent; with a prefix cache, later turns' TTFT stays low though their
 * prompts grow.
 */
public final class TurnSummary {
  private final Map<Integer, double[]> byTurn = new TreeMap<>(); // turn -> {ttft ms sum, ok, prompt sum, prompts}
  /** session -> {first start ns, last end ns, turns, failed turns} */
  private final Map<Long, long[]> sessions = new java.util.HashMap<>();

  public void add(RequestRecord r) {
    if (r.turn() <= 0) {
      return;
    }
    long[] s = sessions.computeIfAbsent(r.session(), k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0, 0});
    s[0] = Math.min(s[0], r.startNs());
    s[1] = Math.max(s[1], r.endNs());
    s[2]++;
    s[3] += r.success() ? 0 : 1;
    double[] t = byTurn.computeIfAbsent(r.turn(), k -> new double[4]);
    if (r.success() && r.chunkNs().length > 0) {
      t[0] += (r.chunkNs()[0] - r.startNs()) / 1e6;
      t[1]++;
    }
    if (r.promptTokens() >= 0) {
      t[2] += r.promptTokens();
      t[3]++;
    }
  }

  public boolean isEmpty() {
    return byTurn.isEmpty();
  }

  public List<Double> meanTtftMs() {
    List<Double> out = new ArrayList<>();
    byTurn.values().forEach(t -> out.add(t[1] == 0 ? null : t[0] / t[1]));
    return out;
  }

  public List<Double> meanInputTokens() {
    List<Double> out = new ArrayList<>();
    byTurn.values().forEach(t -> out.add(t[3] == 0 ? null : t[2] / t[3]));
    return out;
  }

  public Map<String, Object> toMetadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mean_ttft_ms_by_turn", meanTtftMs());
    m.put("mean_input_tokens_by_turn", meanInputTokens());
    m.put("sessions", sessions.size());
    m.put("mean_session_s", meanSessionSeconds());
    m.put("sessions_with_a_failed_turn", sessions.values().stream().filter(s -> s[3] > 0).count());
    return m;
  }

  /** First turn's start to last turn's end, think time included, averaged over the sessions. */
  public double meanSessionSeconds() {
    return sessions.values().stream().mapToDouble(s -> (s[1] - s[0]) / 1e9).average().orElse(0);
  }

  /** One console line: {@code turns: mean TTFT 41.2, 22.0 ms; mean input 100, 356 tokens}. */
  public String consoleLine() {
    long failed = sessions.values().stream().filter(s -> s[3] > 0).count();
    return "turns: mean TTFT " + join(meanTtftMs(), "%.1f") + " ms; mean input " + join(meanInputTokens(), "%.0f")
        + " tokens (turn 1, 2, ...); " + sessions.size() + " sessions of " + String.format(Locale.ROOT, "%.1f", meanSessionSeconds())
        + " s on average" + (failed > 0 ? ", " + failed + " with a failed turn" : "");
  }

  private static String join(List<Double> v, String fmt) {
    return String.join(", ", v.stream().map(x -> x == null ? "-" : String.format(Locale.ROOT, fmt, x)).toList());
  }
}
