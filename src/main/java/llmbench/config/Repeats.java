package llmbench.config;

import java.time.Duration;
import java.util.Locale;
import llmbench.stats.RunSpread;

/**
 * How many times each profile's levels run, and which run this is: {@code --repeat N} runs them N
 * times with {@code --cooldown} between runs; {@code --until-stable METRIC:PCT} stops a profile's
 * repeats once every level's confidence interval of that metric is within PCT % of its mean (after
 * two runs at least, after N at most). Run 1 keeps the seed's file names; the others add {@code _runK}.
 *
 * @param count the most runs (1: no repeats)
 * @param confidence the level of the runs' confidence intervals (0.95)
 * @param untilStable null: every profile runs {@code count} times
 * @param run this run's number, from 1
 */
public record Repeats(int count, Duration cooldown, double confidence, Stability untilStable, int run) {
  public static final Repeats ONCE = new Repeats(1, Duration.ZERO, llmbench.stats.RunSpread.DEFAULT_CONFIDENCE, null, 1);
  /** With --until-stable and no --repeat: at most this many runs. */
  public static final int STABLE_DEFAULT_MAX = 10;

  /** The metric whose interval must narrow, and how far (percent of its mean). */
  public record Stability(String metric, double pct) {
    public static Stability parse(String spec) {
      int colon = spec.lastIndexOf(':');
      String metric = colon < 0 ? spec : spec.substring(0, colon).strip();
      if (colon < 0 || !RunSpread.METRICS.contains(metric)) {
        throw new IllegalArgumentException("--until-stable: '" + spec + "' is not METRIC:PCT with METRIC one of "
            + String.join(", ", RunSpread.METRICS) + " (e.g. p99_ttft_ms:5)");
      }
      double pct;
      try {
        pct = Double.parseDouble(spec.substring(colon + 1).strip().replace("%", ""));
      } catch (NumberFormatException e) {
        pct = -1;
      }
      if (!(pct > 0 && pct < 100)) {
        throw new IllegalArgumentException("--until-stable: the half-width in '" + spec + "' must be a percent of "
            + "the mean within 0..100 (e.g. p99_ttft_ms:5)");
      }
      return new Stability(metric, pct);
    }

    @Override
    public String toString() {
      return metric + ":" + String.format(Locale.ROOT, "%s", pct);
    }
  }

  public Repeats {
    if (count < 1) {
      throw new IllegalArgumentException("--repeat must be 1 or more, not " + count);
    }
    if (cooldown.isNegative()) {
      throw new IllegalArgumentException("--cooldown must be 0 or more seconds, not " + cooldown.toSeconds());
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("--confidence-level must be within 0..1 exclusive (e.g. 0.95 or 95%), not "
          + confidence);
    }
    if (untilStable != null && count < 2) {
      throw new IllegalArgumentException("--until-stable needs --repeat 2 or more (the most runs it may take), not "
          + count);
    }
    if (run < 1 || run > count) {
      throw new IllegalArgumentException("run " + run + " of " + count);
    }
  }

  /** The same settings, run {@code r}. */
  public Repeats run(int r) {
    return new Repeats(count, cooldown, confidence, untilStable, r);
  }

  /** At most {@code n} runs (a workload file's {@code repeat:}). */
  public Repeats withCount(int n) {
    return new Repeats(n, cooldown, confidence, n < 2 ? null : untilStable, Math.min(run, n));
  }

  public boolean repeated() {
    return count > 1;
  }

  /** What run K's result files add to the seed's names: nothing for run 1, {@code _run2} for the second. */
  public String fileSuffix() {
    return run == 1 ? "" : "_run" + run;
  }
}
