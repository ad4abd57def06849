package llmbench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import llmbench.mock.StepModel;
import org.junit.jupiter.api.Test;

class RunSpreadTest {
  @Test
  void handComputed() {
    // 10, 12, 14: mean 12, SD 2, CV 1/6; t(0.975, 2) = 4.302653 (tables), half-width 4.302653 * 2 / sqrt(3)
    RunSpread s = RunSpread.of(List.of(10.0, 12.0, 14.0), 0.95);
    assertEquals(12, s.mean(), 1e-12);
    assertEquals(2, s.std(), 1e-12);
    assertEquals(1 / 6.0, s.cv(), 1e-12);
    assertEquals(4.302653 * 2 / Math.sqrt(3), s.halfWidth(), 1e-5);
    assertEquals(12 - s.halfWidth(), s.ciLow(), 1e-12);
    assertEquals(s.halfWidth() / 12 * 100, s.halfWidthPct(), 1e-12);
    // 90 %: t(0.95, 2) = 2.919986
    assertEquals(2.919986 * 2 / Math.sqrt(3), RunSpread.of(List.of(10.0, 12.0, 14.0), 0.90).halfWidth(), 1e-5);
    RunSpread one = RunSpread.of(List.of(5.0), 0.95);
    assertNull(one.halfWidth(), "one run: no interval");
    assertEquals(0, one.std());
  }

  /**
   * Runs whose value is the mean of a level's jittered steps (the mock's own jitter: normal, 20 %,
   * around a known 6 ms): the intervals over 3 and over 5 runs cover 6 ms about as often as their
   * level says (2,000 trials each; the binomial SD of the rate is 0.5 points at 95 %).
   */
  @Test
  void intervalsCoverTheKnownMeanAtTheirNominalRate() {
    SplittableRandom random = new SplittableRandom(2026);
    double stepMs = 6;
    for (int runs : new int[] {3, 5}) {
      for (double level : new double[] {0.95, 0.90}) {
        int covered = 0;
        int trials = 2000;
        for (int t = 0; t < trials; t++) {
          List<Double> values = new ArrayList<>();
          for (int r = 0; r < runs; r++) {
            double sum = 0;
            int steps = 40;
            for (int k = 0; k < steps; k++) {
              sum += stepMs * StepModel.jitterFactor(0.2, random);
            }
            values.add(sum / steps);
          }
          RunSpread s = RunSpread.of(values, level);
          covered += s.ciLow() <= stepMs && stepMs <= s.ciHigh() ? 1 : 0;
        }
        double rate = covered / (double) trials;
        System.out.printf(java.util.Locale.ROOT, "%d runs, %.0f%% intervals: %.1f%% covered the mean%n", runs,
            level * 100, rate * 100);
        assertTrue(Math.abs(rate - level) <= 0.02, runs + " runs, " + level + ": covered " + rate);
      }
    }
  }
}
