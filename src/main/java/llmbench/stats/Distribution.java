package llmbench.stats;

import java.util.Arrays;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;

/**
 * numpy's statistics, as vLLM computes them: mean, median, population std (ddof 0) and percentiles with
 * linear interpolation (numpy's default, commons-math's R_7). An empty sample gives 0 everywhere,
 * as {@code np.mean(x or 0)} does in vllm/benchmarks/serve.py.
 */
public final class Distribution {
  private final double[] sorted;

  public Distribution(double[] values) {
    this(values.clone(), true);
  }

  private Distribution(double[] owned, boolean sort) {
    this.sorted = owned;
    Arrays.sort(sorted);
  }

  /** Takes ownership of {@code values} (sorts it in place): no copy of a large sample. */
  static Distribution ofOwned(double[] values) {
    return new Distribution(values, true);
  }

  public int size() {
    return sorted.length;
  }

  public double mean() {
    if (sorted.length == 0) {
      return 0;
    }
    double sum = 0;
    for (double v : sorted) {
      sum += v;
    }
    return sum / sorted.length;
  }

  public double median() {
    return percentile(50);
  }

  public double std() {
    return sorted.length == 0 ? 0 : new StandardDeviation(false).evaluate(sorted);
  }

  public double percentile(double p) {
    if (sorted.length == 0) {
      return 0;
    }
    // numpy's "linear": h = (n - 1) p / 100, between the two neighbours (commons-math's R_7, which
    // copies and re-sorts its input; on a sorted sample the formula is direct)
    double h = (sorted.length - 1) * p / 100.0;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
