package llmbench.stats;

import java.util.function.LongConsumer;

/**
 * Exact order statistics of a sample too large for the heap, which can be streamed again: a radix
 * selection, 16 bits of (value − min) per pass, so values spanning up to 2^48 ns (three days) need at
 * most three passes and a few 64k-entry histograms. Exact, unlike a sketch: vLLM's percentiles are
 * numpy's on the full sample, and ours must equal them.
 */
final class OrderStatistics {
  private static final int DIGIT = 16;

  /** A sample that can be streamed as often as needed, always with the same values. */
  interface Source {
    void forEach(LongConsumer sink);
  }

  private OrderStatistics() {}

  /**
   * The values of 0-based {@code ranks} in the sorted sample, which has {@code count} values between
   * {@code min} and {@code max}.
   */
  static long[] select(Source source, long count, long min, long max, long[] ranks) {
    int targets = ranks.length;
    long[] prefix = new long[targets]; // the high bits of (value - min) fixed so far
    long[] rank = ranks.clone(); // the rank still to find among values with that prefix
    for (long r : ranks) {
      if (r < 0 || r >= count) {
        throw new IllegalArgumentException("rank " + r + " outside a sample of " + count);
      }
    }
    int bits = 64 - Long.numberOfLeadingZeros(max - min);
    int shift = Math.max(0, bits - DIGIT); // low bit of the digit this pass decides
    int decided = bits; // bits above this position are fixed in prefix
    while (decided > 0) {
      int width = decided - shift;
      int size = 1 << width;
      long[][] hist = new long[targets][size];
      int from = shift;
      int above = decided;
      source.forEach(v -> {
        long u = v - min;
        long high = above >= 64 ? 0 : u >>> above;
        int digit = (int) ((u >>> from) & (size - 1));
        for (int t = 0; t < targets; t++) {
          if (high == prefix[t]) {
            hist[t][digit]++;
          }
        }
      });
      for (int t = 0; t < targets; t++) {
        long seen = 0;
        int d = 0;
        while (seen + hist[t][d] <= rank[t]) {
          seen += hist[t][d];
          d++;
        }
        rank[t] -= seen;
        prefix[t] = (prefix[t] << width) | d;
      }
      decided = shift;
      shift = Math.max(0, shift - DIGIT);
    }
    long[] out = new long[targets];
    for (int t = 0; t < targets; t++) {
      out[t] = prefix[t] + min;
    }
    return out;
  }
}
