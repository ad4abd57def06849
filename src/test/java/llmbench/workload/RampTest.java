package llmbench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RampTest {
  @Test
  void ratesFollowVllmsDefinitions() {
    Ramp linear = new Ramp(Ramp.Strategy.LINEAR, 1, 20, 1, null);
    assertEquals(1.0, linear.rateAt(0, 101));
    assertEquals(10.5, linear.rateAt(50, 101), 1e-12);
    assertEquals(20.0, linear.rateAt(100, 101), 1e-12);
    Ramp exp = new Ramp(Ramp.Strategy.EXPONENTIAL, 1, 16, 1, null);
    assertEquals(4.0, exp.rateAt(50, 101), 1e-12); // 1 · 16^(1/2)
    assertEquals(16.0, exp.rateAt(100, 101), 1e-9);
  }

  @Test
  void gapsAreDrawnAtEachRequestsRateAndNotRescaled() {
    // a very regular gamma (shape 1e6): each gap is 1/rate within 0.5 %
    Ramp r = new Ramp(Ramp.Strategy.LINEAR, 2, 10, 1e6, null);
    long[] t = r.offsetsNs(5, 7);
    double[] rates = {2, 4, 6, 8, 10};
    double expected = 0;
    for (int i = 0; i < 5; i++) {
      expected += 1 / rates[i];
      assertEquals(expected, t[i] / 1e9, expected * 0.005);
    }
    assertEquals(r.offsetsNs(5, 7)[4], t[4], "seeded: the same schedule again");
  }

  @Test
  void namesAndMistakes() {
    Ramp r = new Ramp(Ramp.Strategy.parse("exponential"), 0.5, 20, 1, 8);
    assertEquals("ramp-exponential-0.5-20", r.label());
    assertEquals("exponential ramp 0.5 to 20 req/s, max concurrency 8", r.describe());
    assertEquals(Double.POSITIVE_INFINITY, r.requestRate());
    assertEquals("--ramp-up-strategy must be linear or exponential, not 'steps'",
        assertThrows(IllegalArgumentException.class, () -> Ramp.Strategy.parse("steps")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Ramp(Ramp.Strategy.LINEAR, 0, 20, 1, null));
  }
}
