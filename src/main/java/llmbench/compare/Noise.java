package llmbench.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import llmbench.stats.RunSpread;

/**
 * Run-to-run noise to judge single runs against: how much one run's value of a metric varies from
 * one run of the same configuration to the next, as a coefficient of variation. Given as one figure
 * ({@code --noise 5%}) or learned from a folder of repeated runs ({@code --noise-from DIR}: each of
 * its levels' CV over its runs; a level it lacks takes the median over its levels).
 */
public final class Noise {
  public static final Noise NONE = new Noise(null, null, null);

  private final Double fixed;
  private final RunResults learnt;
  private final Map<String, Double> medians;

  private Noise(Double fixed, RunResults learnt, Map<String, Double> medians) {
    this.fixed = fixed;
    this.learnt = learnt;
    this.medians = medians;
  }

  /** One CV for every metric and level (0.05: 5 %). */
  public static Noise fixed(double cv) {
    if (!(cv > 0 && cv < 1)) {
      throw new IllegalArgumentException("--noise must be a share within 0..100 % (e.g. 5%), not " + cv);
    }
    return new Noise(cv, null, null);
  }

  /** The CVs of a folder's repeated levels. */
  public static Noise learnt(RunResults run) {
    Map<String, List<Double>> byMetric = new TreeMap<>();
    for (RunResults.Level l : run.levels()) {
      if (l.runs().size() < 2) {
        continue;
      }
      for (String m : l.values().keySet()) {
        Double cv = cv(l.runValues(m));
        if (cv != null) {
          byMetric.computeIfAbsent(m, k -> new ArrayList<>()).add(cv);
        }
      }
    }
    if (byMetric.isEmpty()) {
      throw new IllegalArgumentException("--noise-from " + run.path() + ": none of its levels ran more than once "
          + "(a sweep with --repeat N, N >= 2, measures its noise)");
    }
    Map<String, Double> medians = new TreeMap<>();
    byMetric.forEach((m, cvs) -> {
      double[] v = cvs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      medians.put(m, v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
    });
    return new Noise(null, run, medians);
  }

  public boolean known() {
    return fixed != null || learnt != null;
  }

  /** The CV of one run's {@code metric} at a level like {@code level}; null when unknown. */
  public Double cv(RunResults.Level level, String metric) {
    if (fixed != null) {
      return fixed;
    }
    if (learnt == null) {
      return null;
    }
    for (RunResults.Level l : learnt.levels()) {
      if (l.runs().size() >= 2 && l.matches(level)) {
        Double cv = cv(l.runValues(metric));
        if (cv != null) {
          return cv;
        }
      }
    }
    return medians.get(metric);
  }

  /** Where the figure came from, for the tables. */
  public String source() {
    return fixed != null ? String.format(java.util.Locale.ROOT, "--noise %.3g%%", fixed * 100)
        : learnt != null ? "--noise-from " + learnt.path() : "none";
  }

  /** A level's run-to-run CV ({@link RunSpread}'s); null with fewer than two runs or a zero mean. */
  static Double cv(double[] v) {
    if (v.length < 2) {
      return null;
    }
    RunSpread s = RunSpread.of(Arrays.stream(v).boxed().toList(), 0.95);
    return s.mean() == 0 ? null : s.cv();
  }
}
