package llmbench.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.ExponentialDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

class ArrivalsTest {
  private static double[] gapsS(long[] offsetsNs) {
    double[] g = new double[offsetsNs.length];
    long prev = 0;
    for (int i = 0; i < offsetsNs.length; i++) {
      g[i] = (offsetsNs[i] - prev) / 1e9;
      prev = offsetsNs[i];
    }
    return g;
  }

  @Test
  void poissonGapsAreExponentialWithTheRatesMean() {
    double rate = 8;
    long[] t = new Arrivals(rate, 1.0, null).offsetsNs(4000, 42);
    double[] gaps = gapsS(t);
    double mean = java.util.Arrays.stream(gaps).average().orElseThrow();
    assertEquals(1 / rate, mean, 0.02 / rate, "mean gap");
    // vLLM rescales so that the last request starts at n / rate
    assertEquals(4000 / rate, t[t.length - 1] / 1e9, 1e-6);
    double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new ExponentialDistribution(1 / rate), gaps);
    assertTrue(p > 0.01, "KS against the exponential: p = " + p);
  }

  @Test
  void burstinessIsTheGammaShape() {
    double rate = 4;
    double b = 0.25;
    double[] gaps = gapsS(new Arrivals(rate, b, null).offsetsNs(4000, 7));
    KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
    double pGamma = ks.kolmogorovSmirnovTest(new GammaDistribution(b, 1 / (rate * b)), gaps);
    double pExp = ks.kolmogorovSmirnovTest(new ExponentialDistribution(1 / rate), gaps);
    assertTrue(pGamma > 0.01, "KS against gamma(0.25): p = " + pGamma);
    assertTrue(pExp < 1e-6, "a burstier schedule is not Poisson: p = " + pExp);
    // coefficient of variation of a gamma gap is 1 / sqrt(shape): 2 here, 0.5 for shape 4
    assertEquals(2.0, cv(gaps), 0.2);
    assertEquals(0.5, cv(gapsS(new Arrivals(rate, 4, null).offsetsNs(4000, 7))), 0.05);
  }

  private static double cv(double[] x) {
    double m = java.util.Arrays.stream(x).average().orElseThrow();
    double v = java.util.Arrays.stream(x).map(d -> (d - m) * (d - m)).sum() / x.length;
    return Math.sqrt(v) / m;
  }

  @Test
  void theSameSeedRepeatsAnotherDoesNot() {
    Arrivals a = new Arrivals(2, 1, null);
    assertArrayEquals(a.offsetsNs(50, 1), a.offsetsNs(50, 1));
    assertFalse(java.util.Arrays.equals(a.offsetsNs(50, 1), a.offsetsNs(50, 2)));
  }

  @Test
  void infSendsEverythingAtOnce() {
    Arrivals inf = new Arrivals(Arrivals.parseRate("inf"), 1, 16);
    assertArrayEquals(new long[5], inf.offsetsNs(5, 3));
    assertEquals("rinf", inf.label());
    assertEquals("inf", inf.rateText());
  }

  @Test
  void labelsAndBadInput() {
    assertEquals("r4", new Arrivals(4, 1, null).label());
    assertEquals("4 req/s", new Arrivals(4, 1, null).describe());
    assertEquals("inf req/s, burstiness 0.5, max concurrency 8", new Arrivals(Double.POSITIVE_INFINITY, 0.5, 8).describe());
    assertEquals("r0.5", new Arrivals(Arrivals.parseRate("0.5"), 1, null).label());
    assertEquals("request rate 'fast' must be a number of requests per second > 0, or inf",
        assertThrows(IllegalArgumentException.class, () -> Arrivals.parseRate("fast")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Arrivals.parseRate("0"));
    assertThrows(IllegalArgumentException.class, () -> new Arrivals(1, 0, null));
    assertThrows(IllegalArgumentException.class, () -> new Arrivals(1, 1, 0));
  }
}
