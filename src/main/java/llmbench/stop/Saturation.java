package llmbench.stop;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import llmbench.results.LevelResult;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Over-saturation: more load only adds queueing. Two views, both from a level's own result:
 * <ul>
 *   <li><b>Within a level</b> (guidellm's over-saturation detector: its concurrent requests and TTFT
 *       slopes): over the last half of the time the level sends, the requests in flight at each start and their TTFT both
 *       rise, each slope's 95 % interval above zero, and each rise over that half is large (TTFT by half
 *       its mean, in-flight by two requests and a quarter of its mean): arrivals outpace completions and
 *       the queue grows for as long as the level lasts. Rate levels of one rate: a closed level keeps its
 *       users' number in flight, a ramp's or a trace's arrivals change within the level.</li>
 *   <li><b>Against the level below</b> (the climb's knee): the load rose, output throughput rose by less
 *       than {@value #FLAT_GAIN_PCT} % (flat), median TTFT rose to {@value #TTFT_RISE}x or more, and
 *       requests waited at the server: vLLM's mean queue time (its {@code request_queue_time_seconds})
 *       at least half the median TTFT, else its waiting gauge at least 1 on average; a server that tells
 *       neither needs TTFT at {@value #TTFT_RISE_BLIND}x instead. A closed level past the server's
 *       {@code max_num_seqs} shows this: the extra users wait in its queue.</li>
 * </ul>
 * A saturated but not over-saturated server (throughput flat, nothing waiting) is not flagged.
 */
public final class Saturation {
  static final double FLAT_GAIN_PCT = 10;
  static final double TTFT_RISE = 1.5;
  static final double TTFT_RISE_BLIND = 2.0;
  static final int MIN_POINTS = 10;

  /**
   * What the check found.
   *
   * @param overSaturated true when either view says so
   * @param reason in words (why, or why not judged); the console's and the results'
   * @param evidence the numbers it decided on
   */
  public record Verdict(boolean overSaturated, String reason, Map<String, Double> evidence) {}

  private Saturation() {}

  /** The level's verdict; {@code below} is the profile's previous level (null for its first). */
  public static Verdict of(LevelResult below, LevelResult level) {
    Map<String, Double> evidence = new LinkedHashMap<>();
    String within = within(level, evidence);
    String across = below == null ? null : across(below, level, evidence);
    if (within != null || across != null) {
      return new Verdict(true, within != null ? within : across, evidence);
    }
    return new Verdict(false, null, evidence);
  }

  /** The within-level view; null when it does not see a growing queue. */
  static String within(LevelResult r, Map<String, Double> evidence) {
    double[] starts = r.startTimes();
    double[] ttfts = r.ttfts();
    double[] latencies = r.latencies();
    if (starts == null || ttfts == null || latencies == null || starts.length < 2 * MIN_POINTS
        || r.requestRate() == null || r.requestRate().isInfinite() && r.maxConcurrency() != null
        || r.other().get("arrival_pattern") != null) {
      // a closed level (or all at once under a cap) holds its number in flight; a ramp's or a trace's
      // arrivals change within the level, and their in-flight count with them
      return null;
    }
    double[] ends = new double[starts.length];
    for (int i = 0; i < starts.length; i++) {
      ends[i] = latencies[i] > 0 ? starts[i] + latencies[i] : starts[i]; // a failure leaves at once
    }
    double[] sortedStarts = starts.clone();
    Arrays.sort(sortedStarts);
    double[] sortedEnds = ends.clone();
    Arrays.sort(sortedEnds);
    double last = sortedStarts[sortedStarts.length - 1]; // the level's sending part: the queue grows while it sends
    double from = last / 2;
    SimpleRegression ttft = new SimpleRegression();
    SimpleRegression inFlight = new SimpleRegression();
    double ttftSum = 0;
    double flightSum = 0;
    for (int i = 0; i < starts.length; i++) {
      if (starts[i] < from) {
        continue;
      }
      double flying = count(sortedStarts, starts[i]) - count(sortedEnds, starts[i]);
      inFlight.addData(starts[i], flying);
      flightSum += flying;
      if (latencies[i] > 0) {
        ttft.addData(starts[i], ttfts[i] * 1000);
        ttftSum += ttfts[i] * 1000;
      }
    }
    if (ttft.getN() < MIN_POINTS || inFlight.getN() < MIN_POINTS) {
      return null;
    }
    double window = last - from;
    double ttftMean = ttftSum / ttft.getN();
    double flightMean = flightSum / inFlight.getN();
    double ttftRise = ttft.getSlope() * window;
    double flightRise = inFlight.getSlope() * window;
    evidence.put("saturation_window_s", window);
    evidence.put("saturation_ttft_rise_ms", ttftRise);
    evidence.put("saturation_ttft_mean_ms", ttftMean);
    evidence.put("saturation_in_flight_rise", flightRise);
    evidence.put("saturation_in_flight_mean", flightMean);
    boolean rising = rises(ttft) && rises(inFlight) && ttftRise >= 0.5 * ttftMean
        && flightRise >= Math.max(2, 0.25 * flightMean);
    return !rising ? null : String.format(Locale.ROOT, "over-saturated: over the level's last %.1f s TTFT rose by "
        + "%.0f ms (mean %.0f ms) and the requests in flight by %.1f (mean %.1f): the queue grows while it lasts",
        window, ttftRise, ttftMean, flightRise, flightMean);
  }

  /** The slope's 95 % interval lies above zero. */
  private static boolean rises(SimpleRegression r) {
    double half = r.getSlopeConfidenceInterval(0.05);
    return !Double.isNaN(half) && r.getSlope() - half > 0;
  }

  /** How many of the sorted values are at most {@code t}. */
  private static int count(double[] sorted, double t) {
    int i = Arrays.binarySearch(sorted, t);
    if (i < 0) {
      return -i - 1;
    }
    while (i + 1 < sorted.length && sorted[i + 1] == t) {
      i++;
    }
    return i + 1;
  }

  /** The view against the level below; null when the climb still pays. */
  static String across(LevelResult below, LevelResult level, Map<String, Double> evidence) {
    double loadBelow = load(below);
    double load = load(level);
    Double ttftBelow = below.number("median_ttft_ms");
    Double ttft = level.number("median_ttft_ms");
    if (!(load > loadBelow) || !(below.outputThroughput() > 0) || ttftBelow == null || ttft == null || !(ttftBelow > 0)
        || level.completed() == 0) {
      return null;
    }
    double gainPct = (level.outputThroughput() / below.outputThroughput() - 1) * 100;
    double ttftRise = ttft / ttftBelow;
    Double queueMs = level.number("server_mean_queue_ms");
    Double waiting = level.number("server_waiting_mean");
    evidence.put("saturation_load_rise", load / loadBelow);
    evidence.put("saturation_throughput_gain_pct", gainPct);
    evidence.put("saturation_ttft_rise", ttftRise);
    String queue;
    boolean queued;
    if (queueMs != null) { // vLLM's own time in its waiting queue: most of the TTFT is spent there
      queued = queueMs >= 0.5 * ttft && ttftRise >= TTFT_RISE;
      queue = String.format(Locale.ROOT, ", %.0f ms of it in the server's queue on average", queueMs);
    } else if (waiting != null) {
      queued = waiting >= 1 && ttftRise >= TTFT_RISE;
      queue = String.format(Locale.ROOT, ", %.1f waiting at the server on average", waiting);
      evidence.put("saturation_server_waiting_mean", waiting);
    } else {
      queued = ttftRise >= TTFT_RISE_BLIND;
      queue = " (the server tells no queue)";
    }
    if (gainPct >= FLAT_GAIN_PCT || !queued) {
      return null;
    }
    return String.format(Locale.ROOT, "over-saturated: %.2fx the load of %s gave %+.1f %% output throughput while "
        + "median TTFT went %.1fx (%.0f -> %.0f ms)%s: more load only queues", load / loadBelow, below.level(), gainPct,
        ttftRise, ttftBelow, ttft, queue);
  }

  /** 0.2 -> "0.2", 60.0 -> "60". */
  static String trim(double v) {
    return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** Users for a closed level, requests per second for a rate level. */
  private static double load(LevelResult r) {
    boolean open = r.requestRate() != null && !r.requestRate().isInfinite();
    return open ? r.requestRate() : r.maxConcurrency() == null ? Double.NaN : r.maxConcurrency();
  }
}
