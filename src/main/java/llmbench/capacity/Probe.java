package llmbench.capacity;

import llmbench.results.LevelResult;
import llmbench.stop.Saturation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One measured load of a capacity search, judged against the targets: a normal level with its own
 * result file. A probe with failed requests breaks, whatever its latencies: a server that drops
 * requests does not serve that load.
 *
 * @param repeat 0 for the first measurement of this load, 1.. for repeats
 * @param values each target's value in the result (ms)
 * @param broken the targets it missed, as "ttft_p99 612.3 > 500", and failures
 * @param close some value lies within the noise margin of its limit (a verdict a repeat may flip)
 * @param server the server's own view of the level (waiting, KV cache, preemptions), when scraped
 */
public record Probe(double load, int repeat, String label, String resultFile, Map<String, Double> values,
    List<String> broken, boolean close, int completed, int failed, Double goodput, Map<String, Object> server) {

  public boolean met() {
    return broken.isEmpty();
  }

  static final List<String> SERVER_KEYS = List.of("server_running_max", "server_waiting_max",
      "server_kv_cache_usage_max_pct", "server_preemptions", "server_mean_queue_ms");

  /**
   * @param below the search's result at the next lower load measured (null: none): a probe that adds load
   *     over it only to queue it is over-saturated ({@link Saturation}), and breaks whatever its latencies
   */
  public static Probe judge(double load, int repeat, String label, String resultFile, LevelResult result,
      SloTargets slo, double noise, LevelResult below) {
    Map<String, Double> values = new LinkedHashMap<>();
    List<String> broken = new ArrayList<>();
    boolean close = false;
    for (Map.Entry<SloTargets.Target, Double> e : slo.values(result).entrySet()) {
      SloTargets.Target t = e.getKey();
      double v = e.getValue();
      values.put(t.name(), v);
      if (!(v <= t.limitMs())) {
        broken.add(String.format(Locale.ROOT, "%s %.1f > %s", t.name(), v, trim(t.limitMs())));
      }
      close |= Math.abs(v - t.limitMs()) <= noise * t.limitMs();
    }
    int failed = result.failed();
    int completed = result.completed();
    if (failed > 0) {
      broken.add(failed + " of " + (failed + completed) + " requests failed");
    }
    // within the probe: its own run's check (it had every request's times); against the load below: here
    Object within = Boolean.TRUE.equals(result.other().get("over_saturated")) ? result.other().get("over_saturation") : null;
    Saturation.Verdict across = below == null ? null : Saturation.of(below, result);
    if (within != null || across != null && across.overSaturated()) {
      broken.add(within != null ? within.toString() : across.reason());
    }
    Map<String, Object> server = new LinkedHashMap<>();
    for (String k : SERVER_KEYS) {
      Double n = result.number(k);
      if (n != null) {
        server.put(k, n);
      }
    }
    return new Probe(load, repeat, label, resultFile, values, List.copyOf(broken), close, completed, failed,
        result.requestGoodput(), server);
  }

  /** 500.0 → "500". */
  public static String trim(double v) {
    return new java.math.BigDecimal(v).stripTrailingZeros().toPlainString();
  }
}
