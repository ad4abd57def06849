package llmbench.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import llmbench.trace.RequestRecord;

/**
 * Whether the client kept a request-rate level's schedule (FIELD_NOTES §13): per request, the lag
 * from when it could go to when it was sent (the client's fault), and the wait from when it was due
 * to when a user was free (the cap's doing, vLLM's semaphore); and the rate the starts achieved.
 */
public final class ScheduleLag {
  /** A lag p99 above this is reported: the level's arrivals were not the asked ones. */
  public static final double WARN_P99_MS = 5.0;
  private final List<Double> lagMs = new ArrayList<>();
  private final List<Double> capWaitMs = new ArrayList<>();
  private final List<Long> dueNs = new ArrayList<>();
  private long firstStartNs = Long.MAX_VALUE;
  private long lastStartNs = Long.MIN_VALUE;

  public void add(RequestRecord r) {
    if (r.dueNs() == 0) {
      return;
    }
    lagMs.add(r.scheduleLagNs() / 1e6);
    capWaitMs.add((r.readyNs() - r.dueNs()) / 1e6);
    dueNs.add(r.dueNs());
    firstStartNs = Math.min(firstStartNs, r.startNs());
    lastStartNs = Math.max(lastStartNs, r.startNs());
  }

  public boolean isEmpty() {
    return lagMs.isEmpty();
  }

  /**
   * Requests started per second between the first start and the last: {@code (n − 1) / span}, the
   * same measure a schedule of rate R has in expectation; null for a level sent all at once.
   */
  public Double achievedRate(boolean infinite) {
    if (infinite || lagMs.size() < 2 || lastStartNs <= firstStartNs) {
      return null;
    }
    return (lagMs.size() - 1) / ((lastStartNs - firstStartNs) / 1e9);
  }

  /** When each request was due, in seconds from the level's first start (a request due before it, below 0). */
  public double[] dueS() {
    return dueNs.stream().mapToDouble(d -> (d - firstStartNs) / 1e9).toArray();
  }

  /**
   * The result keys: the achieved rate, schedule_lag_{p50,p99,max}_ms, and the cap's wait where there is one.
   *
   * @param allAtOnce a level sent at rate inf (no achieved rate)
   */
  public Map<String, Object> toMetadata(boolean allAtOnce, boolean capped) {
    Map<String, Object> m = new LinkedHashMap<>();
    Distribution lag = distribution(lagMs);
    m.put("achieved_request_rate", achievedRate(allAtOnce));
    m.put("schedule_lag_p50_ms", lag.median());
    m.put("schedule_lag_p99_ms", lag.percentile(99));
    m.put("schedule_lag_max_ms", lag.percentile(100));
    if (capped) {
      Distribution wait = distribution(capWaitMs);
      m.put("concurrency_wait_p50_ms", wait.median());
      m.put("concurrency_wait_p99_ms", wait.percentile(99));
      m.put("concurrency_wait_max_ms", wait.percentile(100));
    }
    return m;
  }

  /** A warning when the client could not keep the schedule (lag p99 over the limit); null when it did. */
  public String warning() {
    Distribution lag = distribution(lagMs);
    double p99 = lag.percentile(99);
    if (p99 <= WARN_P99_MS) {
      return null;
    }
    long late = lagMs.stream().filter(l -> l > WARN_P99_MS).count();
    return String.format(java.util.Locale.ROOT, "the client sent %d of %d requests more than %.0f ms after they were due"
        + " (schedule lag p99 %.1f ms, max %.1f ms): these arrivals are not quite the asked ones; the client_* keys"
        + " say what the client was doing", late, lagMs.size(), WARN_P99_MS, p99, lag.percentile(100));
  }

  /** One console line: the achieved rate and the lag. */
  public String consoleLine(boolean allAtOnce) {
    Distribution lag = distribution(lagMs);
    Double achieved = achievedRate(allAtOnce);
    return String.format(java.util.Locale.ROOT, "schedule: %s, lag p50 %.2f ms, p99 %.2f ms, max %.2f ms",
        achieved == null ? "all at once" : String.format(java.util.Locale.ROOT, "achieved %.2f req/s", achieved),
        lag.median(), lag.percentile(99), lag.percentile(100));
  }

  private static Distribution distribution(List<Double> ms) {
    return new Distribution(ms.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
