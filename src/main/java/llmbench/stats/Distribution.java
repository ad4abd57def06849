package llmbench.stats;

import java.util.Arrays;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * numpy's statistics, as vLLM computes them: mean, median, population std (ddof 0) and percentiles with
 * linear interpolation (numpy's default, commons-math's R_7). An empty sample gives 0 everywhere,
 * as {@code np.mean(x or 0)} does in vllm/benchmarks/serve.py.
 */
public final class Distribution {
  private final double[] sorted;

  public Distribution(double[] values) {
    this.sorted = values.clone();
    Arrays.sort(sorted);
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
    return new Percentile().withEstimationType(EstimationType.R_7).evaluate(sorted, p);
  }
}
