package llmbench.compare;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.inference.AlternativeHypothesis;
import org.apache.commons.math3.stat.inference.BinomialTest;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Runs set side by side, level by level: each run's levels matched to the first run's by lengths and
 * concurrency; per level and metric each run's value, its change against the first run, and whether
 * that change is beyond the noise. Latency metrics are judged on their per-request samples, with the
 * test that fits the statistic (Commons Math, two-sided): a mean by Welch's t-test, a median by the
 * Mann–Whitney U test, a percentile by binomial tests of how many of the run's requests exceed the
 * baseline's percentile and how many of the baseline's exceed the run's (a rank test misses a change
 * in the tail alone: with max_num_seqs 32, half of 64 requests queue, P99 TTFT rose 5-fold and
 * Mann–Whitney gave p = 0.04). Level-wide values
 * (throughput, failures, GPU memory) have no samples, so no test.
 */
public final class Comparison {
  /** Below this many requests on either side a latency change cannot be told from noise. */
  public static final int MIN_SAMPLES = 8;
  public static final double ALPHA = 0.05;

  public enum Verdict {
    BETTER, WORSE, NO_CHANGE, TOO_FEW, UNTESTED;

    public String words() {
      return switch (this) {
        case BETTER -> "better";
        case WORSE -> "worse";
        case NO_CHANGE -> "within noise";
        case TOO_FEW -> "too few requests to tell";
        case UNTESTED -> "no noise test (one value per level)";
      };
    }
  }

  /** One run's value of one metric at one level, against the first run's. */
  public record Cell(Double value, Double change, Double changePct, Double pValue, Verdict verdict) {}

  /** One metric at one matched level: the first run's cell, then each other run's (null when absent). */
  public record Row(String metric, List<Cell> cells) {}

  /** A level of the first run and its counterparts in the others (null where a run lacks it). */
  public record MatchedLevel(String name, RunResults.Level base, List<RunResults.Level> levels, List<Row> rows) {}

  public record Result(List<RunResults> runs, List<MatchedLevel> levels, List<String> unmatched) {}

  private Comparison() {}

  public static Result of(List<RunResults> runs) {
    RunResults first = runs.get(0);
    for (RunResults r : runs.subList(1, runs.size())) {
      if (first.model() != null && r.model() != null && !first.model().equals(r.model())) {
        throw new IllegalArgumentException(r.name() + " benchmarked " + r.model() + ", " + first.name() + " "
            + first.model() + ": compare runs of one model");
      }
    }
    List<MatchedLevel> matched = new ArrayList<>();
    List<String> unmatched = new ArrayList<>();
    List<List<RunResults.Level>> used = new ArrayList<>();
    runs.forEach(r -> used.add(new ArrayList<>()));
    for (RunResults.Level base : first.levels()) {
      List<RunResults.Level> row = new ArrayList<>();
      row.add(base);
      boolean any = false;
      for (int i = 1; i < runs.size(); i++) {
        List<RunResults.Level> taken = used.get(i);
        RunResults.Level m = runs.get(i).levels().stream().filter(base::matches).filter(l -> !taken.contains(l))
            .findFirst().orElse(null);
        if (m != null) {
          taken.add(m);
          any = true;
        }
        row.add(m);
      }
      if (any || runs.size() == 1) {
        matched.add(new MatchedLevel(base.label() + " (" + base.shape() + ")", base, row, rows(row)));
      } else {
        unmatched.add(first.name() + ": " + base.label() + " (" + base.shape() + ")");
      }
    }
    for (int i = 1; i < runs.size(); i++) {
      for (RunResults.Level l : runs.get(i).levels()) {
        if (!used.get(i).contains(l)) {
          unmatched.add(runs.get(i).name() + ": " + l.label() + " (" + l.shape() + ")");
        }
      }
    }
    if (matched.isEmpty()) {
      throw new IllegalArgumentException("no level matches across the runs (same lengths and concurrency): "
          + String.join("; ", unmatched));
    }
    return new Result(runs, matched, unmatched);
  }

  /** The two-sided p-value of the change of this statistic between the samples x and y. */
  static double pValue(String metric, double[] x, double[] y, double change) {
    if (metric.startsWith("mean_")) {
      if (variance(x) == 0 && variance(y) == 0) {
        return mean(x) == mean(y) ? 1 : 0;
      }
      return new TTest().tTest(x, y);
    }
    if (metric.startsWith("median_")) {
      return new MannWhitneyUTest().mannWhitneyUTest(x, y);
    }
    // pXX: under no change, each of y's requests exceeds x's XX-th percentile with probability
    // 1 - XX/100, and each of x's exceeds y's: a rise shows in the first count, a fall in the second.
    // The count in the direction of the observed change is tested; doubled, as that direction was
    // chosen after looking.
    double q = Double.parseDouble(metric.substring(1, metric.indexOf('_'))) / 100;
    return Math.min(1, 2 * (change >= 0 ? exceedance(x, y, q) : exceedance(y, x, q)));
  }

  /** Binomial test of how many of y exceed x's q-quantile. */
  private static double exceedance(double[] x, double[] y, double q) {
    double threshold = new Percentile().withEstimationType(Percentile.EstimationType.R_7).evaluate(x, q * 100);
    int above = 0;
    for (double v : y) {
      above += v > threshold ? 1 : 0;
    }
    // Commons Math 3.6's two-sided binomial p can exceed 1 (it adds both tails' masses): a p-value is at most 1
    return Math.min(1, new BinomialTest().binomialTest(y.length, above, 1 - q, AlternativeHypothesis.TWO_SIDED));
  }

  private static double mean(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v;
    }
    return s / a.length;
  }

  private static double variance(double[] a) {
    double m = mean(a);
    double s = 0;
    for (double v : a) {
      s += (v - m) * (v - m);
    }
    return s;
  }

  private static List<Row> rows(List<RunResults.Level> levels) {
    RunResults.Level base = levels.get(0);
    List<Row> rows = new ArrayList<>();
    for (String metric : Metrics.KEYS) {
      if (levels.stream().allMatch(l -> l == null || !l.values().containsKey(metric))) {
        continue;
      }
      List<Cell> cells = new ArrayList<>();
      Double b = base.values().get(metric);
      cells.add(new Cell(b, null, null, null, null));
      for (RunResults.Level l : levels.subList(1, levels.size())) {
        Double v = l == null ? null : l.values().get(metric);
        if (v == null || b == null) {
          cells.add(new Cell(v, null, null, null, null));
          continue;
        }
        double change = v - b;
        Double pct = b == 0 ? null : change / b * 100;
        String sample = Metrics.sampleOf(metric);
        Double p = null;
        Verdict verdict;
        if (sample == null) {
          verdict = change == 0 ? Verdict.NO_CHANGE : Verdict.UNTESTED;
        } else {
          double[] x = base.samples().get(sample);
          double[] y = l.samples().get(sample);
          if (x.length < MIN_SAMPLES || y.length < MIN_SAMPLES) {
            verdict = Verdict.TOO_FEW;
          } else {
            p = pValue(metric, x, y, change);
            boolean worse = Metrics.higherIsBetter(metric) ? change < 0 : change > 0;
            verdict = p >= ALPHA || change == 0 ? Verdict.NO_CHANGE : worse ? Verdict.WORSE : Verdict.BETTER;
          }
        }
        cells.add(new Cell(v, change, pct, p, verdict));
      }
      rows.add(new Row(metric, cells));
    }
    return rows;
  }
}
