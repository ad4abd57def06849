package llmbench.diagnosis;

import java.util.Arrays;

/**
 * How late a level's stamps were, as far as its event loops' lag tells: each late run of the probe
 * ({@code lag}) stands for the stamps read since its previous run ({@code stamps}). A stall of L ms
 * delayed what came during it by the rest of it, so its stamps are spread over L, L − P, L − 2P ...
 * ms (the runs a fixed-rate probe of period P would have made). Weighed by stamps, not by time: one
 * sample per stall made a 200 ms stall in a 3 s level vanish below its p99, and stalls where many
 * chunks come at once (a level's start) count as much as they cost. Thread-safe; cheap per stall.
 */
public final class StampLateness {
  private double[] lagMs = new double[256];
  private double[] weight = new double[256];
  private int n;
  private double maxMs;

  /** One probe run {@code lagNs} late that {@code stamps} stamps waited behind; none: nothing recorded. */
  public synchronized void add(long lagNs, long periodNs, int stamps) {
    if (stamps <= 0) {
      return;
    }
    maxMs = Math.max(maxMs, lagNs / 1e6);
    int pieces = (int) Math.max(1, (lagNs + periodNs - 1) / periodNs);
    for (int i = 0; i < pieces; i++) {
      if (n == lagMs.length) {
        lagMs = Arrays.copyOf(lagMs, n * 2);
        weight = Arrays.copyOf(weight, n * 2);
      }
      lagMs[n] = Math.max(0, lagNs - i * periodNs) / 1e6;
      weight[n++] = (double) stamps / pieces;
    }
  }

  public synchronized void reset() {
    n = 0;
    maxMs = 0;
    if (lagMs.length > 1 << 16) {
      lagMs = new double[256];
      weight = new double[256];
    }
  }

  /** What the stamps met: their weighted mean, median, p99 and the worst stall, in ms. */
  public record Summary(double stamps, double meanMs, double p50Ms, double p99Ms, double maxMs) {
    public static final Summary NONE = new Summary(0, 0, 0, 0, 0);
  }

  public synchronized Summary summary() {
    return summarise(Arrays.copyOf(lagMs, n), Arrays.copyOf(weight, n), maxMs);
  }

  /** Several loops' stamps as one level's. */
  public static Summary pooled(Iterable<StampLateness> all) {
    double[] lags = new double[0];
    double[] weights = new double[0];
    double max = 0;
    for (StampLateness s : all) {
      synchronized (s) {
        int at = lags.length;
        lags = Arrays.copyOf(lags, at + s.n);
        weights = Arrays.copyOf(weights, at + s.n);
        System.arraycopy(s.lagMs, 0, lags, at, s.n);
        System.arraycopy(s.weight, 0, weights, at, s.n);
        max = Math.max(max, s.maxMs);
      }
    }
    return summarise(lags, weights, max);
  }

  private static Summary summarise(double[] lags, double[] weights, double max) {
    Integer[] order = new Integer[lags.length];
    double total = 0;
    double sum = 0;
    for (int i = 0; i < lags.length; i++) {
      order[i] = i;
      total += weights[i];
      sum += weights[i] * lags[i];
    }
    if (total == 0) {
      return Summary.NONE;
    }
    Arrays.sort(order, (a, b) -> Double.compare(lags[a], lags[b]));
    return new Summary(total, sum / total, quantile(order, lags, weights, total, 0.50),
        quantile(order, lags, weights, total, 0.99), max);
  }

  /** The smallest lag with at least {@code q} of the weight at or below it. */
  private static double quantile(Integer[] order, double[] lags, double[] weights, double total, double q) {
    double seen = 0;
    for (Integer i : order) {
      seen += weights[i];
      if (seen >= q * total - 1e-9) {
        return lags[i];
      }
    }
    return lags[order[order.length - 1]];
  }
}
