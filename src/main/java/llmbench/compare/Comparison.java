package llmbench.compare;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
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

  /** How a change was judged: on the runs' values, against a given noise figure, or on the requests of one run each. */
  public enum Test {
    RUNS, NOISE, REQUESTS;

    public String words() {
      return switch (this) {
        case RUNS -> "over runs";
        case NOISE -> "against the noise given";
        case REQUESTS -> "within runs";
      };
    }
  }

  /**
   * One run's value of one metric at one level, against the first run's; {@code noisePct}: the
   * run-to-run CV the verdict used (measured over the runs, or given), null when judged within runs.
   */
  public record Cell(Double value, Double change, Double changePct, Double pValue, Verdict verdict, Test test,
      Double noisePct, int runs) {
    public Cell(Double value, Double change, Double changePct, Double pValue, Verdict verdict) {
      this(value, change, changePct, pValue, verdict, null, null, 1);
    }
  }

  /** One metric at one matched level: the first run's cell, then each other run's (null when absent). */
  public record Row(String metric, List<Cell> cells) {}

  /** A level of the first run and its counterparts in the others (null where a run lacks it). */
  public record MatchedLevel(String name, RunResults.Level base, List<RunResults.Level> levels, List<Row> rows) {}

  public record Result(List<RunResults> runs, List<MatchedLevel> levels, List<String> unmatched, Noise noise) {
    public Result(List<RunResults> runs, List<MatchedLevel> levels, List<String> unmatched) {
      this(runs, levels, unmatched, Noise.NONE);
    }

    /** One line: how the run-to-run noise entered the verdicts. */
    public String noiseNote() {
      boolean within = false;
      boolean runsTested = false;
      for (MatchedLevel l : levels) {
        for (Row row : l.rows()) {
          for (Cell c : row.cells()) {
            within |= c.test() == Test.REQUESTS;
            runsTested |= c.test() == Test.RUNS;
          }
        }
      }
      if (!within) {
        return runsTested ? "run-to-run noise measured: changes judged on the runs' values (Welch's t-test on each "
            + "side's runs)" : "run-to-run noise: " + noise.source();
      }
      return "run-to-run noise unknown where a side ran once: those changes are judged within runs, which cannot see "
          + "the drift between runs (repeat with --repeat N, or give --noise PCT or --noise-from DIR)";
    }
  }

  private Comparison() {}

  public static Result of(List<RunResults> runs) {
    return of(runs, Noise.NONE);
  }

  /** With a run-to-run noise figure for the levels where a side ran once. */
  public static Result of(List<RunResults> runs, Noise noise) {
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
        matched.add(new MatchedLevel(base.label() + " (" + base.shape() + ")", base, row, rows(row, noise)));
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
    return new Result(runs, matched, unmatched, noise);
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

  private static List<Row> rows(List<RunResults.Level> levels, Noise noise) {
    RunResults.Level base = levels.get(0);
    List<Row> rows = new ArrayList<>();
    for (String metric : Metrics.KEYS) {
      if (levels.stream().allMatch(l -> l == null || !l.values().containsKey(metric))) {
        continue;
      }
      List<Cell> cells = new ArrayList<>();
      Double b = base.values().get(metric);
      cells.add(new Cell(b, null, null, null, null, null, cvPct(base.runValues(metric)), base.runs().size()));
      for (RunResults.Level l : levels.subList(1, levels.size())) {
        Double v = l == null ? null : l.values().get(metric);
        if (v == null || b == null) {
          cells.add(new Cell(v, null, null, null, null, null, null, l == null ? 0 : l.runs().size()));
          continue;
        }
        cells.add(judge(metric, base, l, b, v, noise));
      }
      rows.add(new Row(metric, cells));
    }
    return rows;
  }

  /**
   * A change judged as the runs allow: with two runs or more on both sides, Welch's t-test on the
   * runs' values (the run-to-run noise itself); with one run on a side and a noise figure, a z-test of
   * the change against that CV; else the within-run tests on the requests of one run each.
   */
  private static Cell judge(String metric, RunResults.Level base, RunResults.Level l, double b, double v, Noise noise) {
    double change = v - b;
    Double pct = b == 0 ? null : change / b * 100;
    boolean worse = Metrics.higherIsBetter(metric) ? change < 0 : change > 0;
    double[] xr = base.runValues(metric);
    double[] yr = l.runValues(metric);
    int runs = l.runs().size();
    if (xr.length >= 2 && yr.length >= 2) {
      double p = variance(xr) == 0 && variance(yr) == 0 ? (mean(xr) == mean(yr) ? 1 : 0) : new TTest().tTest(xr, yr);
      Double cvb = cvPct(xr);
      Double cvy = cvPct(yr);
      Double pooled = cvb == null || cvy == null ? null : Math.sqrt((cvb * cvb + cvy * cvy) / 2);
      return new Cell(v, change, pct, p, verdict(p, change, worse), Test.RUNS, pooled, runs);
    }
    Double cv = noise.cv(base, metric);
    if (cv != null) {
      double se = Math.sqrt(Math.pow(cv * b, 2) / Math.max(1, xr.length) + Math.pow(cv * v, 2) / Math.max(1, yr.length));
      double p = se == 0 ? (change == 0 ? 1 : 0)
          : 2 * (1 - new NormalDistribution().cumulativeProbability(Math.abs(change) / se));
      return new Cell(v, change, pct, p, verdict(p, change, worse), Test.NOISE, cv * 100, runs);
    }
    String sample = Metrics.sampleOf(metric);
    if (sample == null) {
      return new Cell(v, change, pct, null, change == 0 ? Verdict.NO_CHANGE : Verdict.UNTESTED, Test.REQUESTS, null, runs);
    }
    double[] x = base.samples().get(sample);
    double[] y = l.samples().get(sample);
    if (x.length < MIN_SAMPLES || y.length < MIN_SAMPLES) {
      return new Cell(v, change, pct, null, Verdict.TOO_FEW, Test.REQUESTS, null, runs);
    }
    double p = pValue(metric, x, y, change);
    return new Cell(v, change, pct, p, verdict(p, change, worse), Test.REQUESTS, null, runs);
  }

  private static Verdict verdict(double p, double change, boolean worse) {
    return p >= ALPHA || change == 0 ? Verdict.NO_CHANGE : worse ? Verdict.WORSE : Verdict.BETTER;
  }

  /** A side's run-to-run CV in percent; null with fewer than two runs. */
  private static Double cvPct(double[] runValues) {
    Double cv = Noise.cv(runValues);
    return cv == null ? null : cv * 100;
  }
}
