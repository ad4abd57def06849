package llmbench.capacity;

import llmbench.results.LevelResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The latency targets a capacity search judges each probe by, e.g. {@code ttft_p99:500,tpot_p99:20}:
 * a metric (ttft, tpot, itl, e2el), a statistic (p99, p99.9, mean, median) and a limit in ms, read
 * from a level's result under vLLM's key ({@code p99_ttft_ms}).
 */
public record SloTargets(List<Target> targets) {

  /** One target: {@code value(result) <= limitMs} meets it. */
  public record Target(String metric, String stat, double limitMs) {
    /** vLLM's result key, e.g. {@code p99_ttft_ms}. */
    public String key() {
      return stat + "_" + metric + "_ms";
    }

    /** As the user wrote it: {@code ttft_p99}. */
    public String name() {
      return metric + "_" + stat;
    }

    /** The percentile this target needs reported, or null for mean and median. */
    public Double percentile() {
      return stat.startsWith("p") ? Double.valueOf(stat.substring(1)) : null;
    }
  }

  private static final List<String> METRICS = List.of("ttft", "tpot", "itl", "e2el");

  public static SloTargets parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("--slo is required with --find-capacity, e.g. --slo ttft_p99:500,tpot_p99:50");
    }
    List<Target> out = new ArrayList<>();
    for (String part : spec.split("\\s*,\\s*")) {
      String[] kv = part.split(":");
      String[] ms = kv[0].toLowerCase(Locale.ROOT).split("_");
      double limit;
      try {
        limit = kv.length == 2 ? Double.parseDouble(kv[1]) : -1;
      } catch (NumberFormatException e) {
        limit = -1;
      }
      boolean statOk = ms.length == 2 && (ms[1].equals("mean") || ms[1].equals("median")
          || ms[1].matches("p(\\d{1,2}(\\.\\d+)?)") && Double.parseDouble(ms[1].substring(1)) > 0);
      if (kv.length != 2 || !statOk || !METRICS.contains(ms[0]) || !(limit > 0)) {
        throw new IllegalArgumentException("bad SLO '" + part + "': use METRIC_STAT:MS with METRIC ttft, tpot, itl "
            + "or e2el and STAT p99, p90, mean or median, e.g. ttft_p99:500");
      }
      out.add(new Target(ms[0], ms[1], limit));
    }
    return new SloTargets(List.copyOf(out));
  }

  /** The percentiles the probes must report (vLLM's --percentile-metrics/--metric-percentiles). */
  public List<Double> percentiles() {
    List<Double> p = new ArrayList<>();
    for (Target t : targets) {
      if (t.percentile() != null && !p.contains(t.percentile())) {
        p.add(t.percentile());
      }
    }
    return p.isEmpty() ? List.of(99.0) : p;
  }

  /** vLLM's --goodput spec with the same limits, so each probe also reports its goodput. */
  public String goodputSpec() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Target t : targets) {
      if (!t.metric().equals("itl")) {
        m.merge(t.metric(), t.limitMs(), Math::min);
      }
    }
    return m.isEmpty() ? null : String.join(",", m.entrySet().stream()
        .map(e -> e.getKey() + ":" + new java.math.BigDecimal(e.getValue()).stripTrailingZeros().toPlainString()).toList());
  }

  /** Each target's value in a level's result; a missing key is NaN (never "met"). */
  public Map<Target, Double> values(LevelResult result) {
    Map<Target, Double> v = new LinkedHashMap<>();
    for (Target t : targets) {
      Double n = result.number(t.key());
      v.put(t, n != null ? n : Double.NaN);
    }
    return v;
  }

  @Override
  public String toString() {
    return String.join(",", targets.stream().map(t -> t.name() + ":" + Probe.trim(t.limitMs())).toList());
  }
}
