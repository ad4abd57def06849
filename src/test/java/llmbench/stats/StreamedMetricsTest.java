package llmbench.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import llmbench.trace.RequestRecord;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed level (ITLs on disk, exact order statistics by radix selection) against an
 * independent computation on the whole sample in memory: commons-math's R_7 percentile (numpy's
 * "linear") and population standard deviation.
 */
class StreamedMetricsTest {
  @TempDir
  Path dir;

  @Test
  void orderStatisticsEqualSortingOnAwkwardSamples() {
    SplittableRandom r = new SplittableRandom(7);
    List<long[]> samples = List.of(
        new long[] {5},
        new long[] {3, 3, 3, 3},                                   // all equal: no radix pass at all
        r.longs(10_000, 0, 1L << 40).toArray(),                    // three passes
        r.longs(10_000, 9_990_000, 10_010_000).toArray(),          // dense around 10 ms
        r.longs(5_000, 0, 4).toArray(),                            // many duplicates
        new long[] {0, Long.MAX_VALUE / 2, 1, 2});                 // a huge span
    for (long[] sample : samples) {
      long[] sorted = sample.clone();
      Arrays.sort(sorted);
      long[] ranks = {0, sorted.length / 2, sorted.length - 1, (long) (0.99 * (sorted.length - 1))};
      long[] got = OrderStatistics.select(sink -> Arrays.stream(sample).forEach(sink), sample.length,
          sorted[0], sorted[sorted.length - 1], ranks);
      for (int i = 0; i < ranks.length; i++) {
        assertEquals(sorted[(int) ranks[i]], got[i], "rank " + ranks[i] + " of " + sample.length);
      }
    }
  }

  @Test
  void streamedLevelEqualsTheWholeSampleComputation() throws Exception {
    SplittableRandom r = new SplittableRandom(42);
    List<RequestRecord> records = new ArrayList<>();
    List<Double> allItlMs = new ArrayList<>();
    long t = 0;
    for (int i = 0; i < 400; i++) {
      long start = t + r.nextLong(3_000_000);
      int chunks = 1 + r.nextInt(60);
      long[] ns = new long[chunks];
      long at = start + 20_000_000L + r.nextLong(50_000_000);
      for (int k = 0; k < chunks; k++) {
        ns[k] = at;
        at += r.nextInt(10) == 0 ? r.nextLong(200_000_000) : 9_000_000 + r.nextLong(2_000_000);
      }
      boolean ok = r.nextInt(20) != 0;
      if (ok) {
        for (int k = 1; k < chunks; k++) {
          allItlMs.add((ns[k] - ns[k - 1]) / 1e9 * 1000);
        }
      }
      records.add(new RequestRecord("r" + i, "p", "c032", 32, 100, chunks, start, ns[chunks - 1], 0, ns,
          100, chunks, "tök" + i, ok, ok ? null : "HTTP 500 on " + i));
      t += 1_000_000;
    }
    double[] itl = allItlMs.stream().mapToDouble(Double::doubleValue).toArray();
    Percentile numpyLinear = new Percentile().withEstimationType(EstimationType.R_7);
    try (VllmMetrics.Level level = new VllmMetrics.Level(dir, String::length)) {
      records.forEach(level::add);
      LevelMetrics m = level.finish(List.of(50.0, 90.0, 99.0, 99.9), Slo.NONE);
      LevelMetrics.Summary s = m.summaries().get("itl");
      assertEquals(itl.length, m.itlSamples());
      assertEquals(Arrays.stream(itl).average().orElseThrow(), s.mean(), 1e-9);
      assertEquals(new StandardDeviation(false).evaluate(itl), s.std(), 1e-9);
      assertEquals(numpyLinear.evaluate(itl, 50), s.median(), 1e-12);
      for (double p : List.of(50.0, 90.0, 99.0, 99.9)) {
        assertEquals(numpyLinear.evaluate(itl, p), s.percentiles().get(p), 1e-12, "p" + p);
      }
      // per-request fields come back in start order (starts overlap in arrival order here), from disk
      List<RequestRecord> byStart = new ArrayList<>(records);
      byStart.sort(java.util.Comparator.comparingLong(RequestRecord::startNs));
      assertFalse(byStart.equals(records));
      for (int k = 0; k < m.numPrompts(); k++) {
        RequestRecord rec = byStart.get(k);
        if (rec.success()) {
          double[] expected = new double[rec.chunkNs().length - 1];
          for (int c = 1; c < rec.chunkNs().length; c++) {
            expected[c - 1] = (rec.chunkNs()[c] - rec.chunkNs()[c - 1]) / 1e9;
          }
          assertArrayEquals(expected, m.perRequest().itls(k), 0);
          assertEquals("", m.perRequest().error(k));
        } else {
          assertEquals(0, m.perRequest().itls(k).length);
          assertEquals(rec.error(), m.perRequest().error(k));
        }
        assertEquals(rec.generatedText(), m.perRequest().generatedText(k));
      }
      assertEquals(bruteForcePeak(records), m.maxOutputTokensPerS(), 0);
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertFalse(left.findAny().isPresent(), "temporary files are removed on close");
    }
  }

  @Test
  void nullTextAndErrorSurviveTheRoundTrip() {
    try (RequestDetails d = new RequestDetails(dir)) {
      d.add(new long[] {10, 25, 45}, null, null);
      d.add(new long[0], "", "x");
      assertArrayEquals(new double[] {15e-9, 20e-9}, d.itlSeconds(0), 0);
      assertNull(d.textAndError(0)[0]);
      assertNull(d.textAndError(0)[1]);
      assertEquals("x", d.textAndError(1)[1]);
      assertEquals(2, d.itlCount());
    }
  }

  /** Every chunk of every successful request, in 1 s bins from the earliest successful start. */
  private static double bruteForcePeak(List<RequestRecord> records) {
    long min = records.stream().filter(RequestRecord::success).mapToLong(RequestRecord::startNs).min().orElseThrow();
    java.util.Map<Long, Integer> bins = new java.util.HashMap<>();
    for (RequestRecord rec : records) {
      if (rec.success()) {
        for (long c : rec.chunkNs()) {
          bins.merge((c - min) / 1_000_000_000L, 1, Integer::sum);
        }
      }
    }
    return bins.values().stream().mapToInt(Integer::intValue).max().orElse(0);
  }
}
