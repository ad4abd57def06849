package llmbench.workload;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.Well19937c;

/**
 * A level whose rate grows request by request, as vLLM's {@code bench serve --ramp-up-strategy}
 * defines it ({@code _get_current_request_rate} and {@code get_request} in vllm/benchmarks/serve.py):
 * request {@code i} of {@code n} is sent at rate {@code start + (end − start)·i/(n−1)} (linear) or
 * {@code start·(end/start)^(i/(n−1))} (exponential), its gap drawn from the gamma distribution of that
 * rate and the burstiness; unlike a fixed rate, the gaps are not rescaled.
 */
public record Ramp(Strategy strategy, double startRps, double endRps, double burstiness, Integer maxConcurrency)
    implements Schedule {

  public enum Strategy {
    LINEAR, EXPONENTIAL;

    public static Strategy parse(String text) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "linear" -> LINEAR;
        case "exponential" -> EXPONENTIAL;
        default -> throw new IllegalArgumentException("--ramp-up-strategy must be linear or exponential, not '" + text + "'");
      };
    }

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Ramp {
    if (!(startRps > 0) || Double.isInfinite(startRps) || !(endRps > 0) || Double.isInfinite(endRps)) {
      throw new IllegalArgumentException("--ramp-up-start-rps and --ramp-up-end-rps must be request rates > 0, not "
          + startRps + " and " + endRps);
    }
    new Arrivals(startRps, burstiness, maxConcurrency); // the same checks as a rate's
  }

  /** Request {@code i}'s rate, of {@code n}. */
  public double rateAt(int i, int n) {
    double progress = i / (double) Math.max(n - 1, 1);
    return strategy == Strategy.LINEAR ? startRps + (endRps - startRps) * progress
        : startRps * Math.pow(endRps / startRps, progress);
  }

  @Override
  public long[] offsetsNs(int n, long seed) {
    Well19937c random = new Well19937c(seed);
    long[] out = new long[n];
    double t = 0;
    for (int i = 0; i < n; i++) {
      double rate = rateAt(i, n);
      t += new GammaDistribution(random, burstiness, 1.0 / (rate * burstiness)).sample();
      out[i] = Math.round(t * 1e9);
    }
    return out;
  }

  @Override
  public String label() {
    return "ramp-" + strategy.id() + "-" + text(startRps) + "-" + text(endRps);
  }

  @Override
  public String describe() {
    return strategy.id() + " ramp " + text(startRps) + " to " + text(endRps) + " req/s"
        + (burstiness == 1.0 ? "" : ", burstiness " + text(burstiness))
        + (maxConcurrency == null ? "" : ", max concurrency " + maxConcurrency);
  }

  @Override
  public double requestRate() {
    return Double.POSITIVE_INFINITY; // vLLM's: a ramp has no one rate
  }

  @Override
  public String pattern() {
    return "ramp";
  }

  @Override
  public Map<String, Object> resultKeys() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ramp_up_strategy", strategy.id());
    m.put("ramp_up_start_rps", startRps);
    m.put("ramp_up_end_rps", endRps);
    return m;
  }

  static String text(double v) {
    return v == Math.rint(v) ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
