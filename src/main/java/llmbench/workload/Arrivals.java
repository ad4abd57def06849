package llmbench.workload;

import java.util.Locale;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.Well19937c;

/**
 * An open-model level's arrivals, as vLLM's {@code benchmarks/serve.py} ({@code get_request}) defines
 * them (FIELD_NOTES §13): the gap before each request is drawn from a gamma distribution with shape
 * {@code burstiness} and scale {@code 1 / (rate × burstiness)}; the gaps are summed, then rescaled so
 * that the last request starts at exactly {@code n / rate}; rate {@code inf} sends every request at
 * once. A request due while {@code maxConcurrency} are in flight waits for one to end (vLLM's
 * semaphore), so the achieved rate may fall below the asked one.
 *
 * @param rate requests per second; {@link Double#POSITIVE_INFINITY} for {@code inf}
 * @param maxConcurrency the cap on requests in flight; null when uncapped
 */
public record Arrivals(double rate, double burstiness, Integer maxConcurrency) implements Schedule {

  public Arrivals {
    if (!(rate > 0)) {
      throw new IllegalArgumentException("a request rate must be > 0 or inf, not " + rate);
    }
    if (!(burstiness > 0) || Double.isInfinite(burstiness)) {
      throw new IllegalArgumentException("--burstiness must be a number > 0, not " + burstiness);
    }
    if (maxConcurrency != null && maxConcurrency < 1) {
      throw new IllegalArgumentException("--max-concurrency must be >= 1, not " + maxConcurrency);
    }
  }

  @Override
  public double requestRate() {
    return rate;
  }

  /** "4", "0.5" or "inf": vLLM's {@code request_rate} value and our level label's number. */
  public String rateText() {
    if (Double.isInfinite(rate)) {
      return "inf";
    }
    return rate == Math.rint(rate) ? Long.toString((long) rate) : stripZeros(String.format(Locale.ROOT, "%.6f", rate));
  }

  /** In words, as the console and Gatling's groups show it: {@code 4 req/s, burstiness 0.5, max concurrency 8}. */
  @Override
  public String describe() {
    return rateText() + " req/s" + (burstiness == 1.0 ? "" : ", burstiness " + stripZeros(Double.toString(burstiness)))
        + (maxConcurrency == null ? "" : ", max concurrency " + maxConcurrency);
  }

  /** The level's label: {@code r4}, {@code r0.5}, {@code rinf}. */
  @Override
  public String label() {
    return "r" + rateText();
  }

  /** "4", "inf" (vLLM's command-line spelling) → a rate; anything else is a one-line error. */
  public static double parseRate(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      double r = Double.parseDouble(t);
      if (r > 0 && !Double.isInfinite(r) && !Double.isNaN(r)) {
        return r;
      }
    } catch (NumberFormatException e) {
      // the message below says what to write
    }
    throw new IllegalArgumentException("request rate '" + text + "' must be a number of requests per second > 0, or inf");
  }

  /**
   * When each of {@code n} requests is due, in ns after the level's start, in order. The draws depend
   * on {@code seed} only, so a level repeats exactly with its seed.
   */
  @Override
  public long[] offsetsNs(int n, long seed) {
    long[] out = new long[n];
    if (Double.isInfinite(rate) || n == 0) {
      return out;
    }
    GammaDistribution gamma = new GammaDistribution(new Well19937c(seed), burstiness, 1.0 / (rate * burstiness));
    double[] t = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += gamma.sample();
      t[i] = sum;
    }
    double scale = (n / rate) / t[n - 1]; // vLLM: the last request starts at n / rate
    for (int i = 0; i < n; i++) {
      out[i] = Math.round(t[i] * scale * 1e9);
    }
    return out;
  }

  private static String stripZeros(String s) {
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }
}
