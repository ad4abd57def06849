package llmbench.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The stamp-weighted lag, against figures worked by hand. */
class StampLatenessTest {
  private static final long MS = 1_000_000;

  @Test
  void aStallIsSpreadOverTheStampsBehindIt() {
    StampLateness s = new StampLateness();
    s.add(0, 10 * MS, 0); // nothing read: nothing recorded
    assertEquals(StampLateness.Summary.NONE, s.summary());
    // 96 chunks read on time (0.5 ms), then a 30 ms stall with 4 chunks behind it: pieces 30, 20, 10 ms
    // of 4/3 chunk each
    s.add(MS / 2, 10 * MS, 96);
    s.add(30 * MS, 10 * MS, 4);
    StampLateness.Summary sum = s.summary();
    assertEquals(100, sum.stamps(), 1e-9);
    assertEquals((96 * 0.5 + 4.0 / 3 * (30 + 20 + 10)) / 100, sum.meanMs(), 1e-9);
    assertEquals(0.5, sum.p50Ms(), 1e-9);
    // the top 1 % of 100 chunks: the 99th lies among the 20 ms piece (96 + 4/3 + 4/3 = 98.67 < 99)
    assertEquals(30, sum.p99Ms(), 1e-9);
    assertEquals(30, sum.maxMs(), 1e-9);
  }

  @Test
  void loopsPoolTheirStamps() {
    StampLateness a = new StampLateness();
    StampLateness b = new StampLateness();
    a.add(2 * MS, 10 * MS, 10);
    b.add(4 * MS, 10 * MS, 30);
    StampLateness.Summary p = StampLateness.pooled(List.of(a, b));
    assertEquals(40, p.stamps(), 1e-9);
    assertEquals((10 * 2 + 30 * 4) / 40.0, p.meanMs(), 1e-9);
    assertEquals(4, p.p50Ms(), 1e-9);
    assertEquals(4, p.maxMs(), 1e-9);
  }
}
