package llmbench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.junit.jupiter.api.Test;

/** The direct percentile formula agrees with commons-math's R_7 (numpy's "linear") on random samples. */
class DistributionTest {
  @Test
  void matchesCommonsMathR7() {
    SplittableRandom r = new SplittableRandom(3);
    for (int n : new int[] {1, 2, 3, 10, 101, 1000}) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = r.nextDouble() * 100;
      }
      Distribution d = new Distribution(v);
      for (double p : new double[] {1, 25, 50, 90, 99, 99.9, 100}) {
        double expected = new Percentile().withEstimationType(EstimationType.R_7).evaluate(v, p);
        assertEquals(expected, d.percentile(p), 1e-9, "n=" + n + " p=" + p);
      }
      assertEquals(new Mean().evaluate(v), d.mean(), 1e-9);
    }
    assertEquals(0, new Distribution(new double[0]).percentile(99));
  }
}
