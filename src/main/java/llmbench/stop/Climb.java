package llmbench.stop;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import llmbench.results.LevelResult;
import llmbench.trace.RequestRecord;

/**
 * One profile's levels under the {@link StopRules}: each level's answered and failed requests as
 * their records arrive and its deadline, so that its users stop taking requests once a rule says so
 * (what is in flight finishes); and at each level's end the over-saturation check against the level
 * below. After a level past the error rate, or an over-saturated one with {@code onSaturation}, the
 * climb is over: the profile's higher levels are skipped, with the reason.
 */
public final class Climb {
  private final StopRules rules;
  private final Map<String, Level> levels = new ConcurrentHashMap<>();
  private final Map<String, LevelEnd> ends = new ConcurrentHashMap<>();
  private volatile String over;
  private LevelResult below;

  public Climb(StopRules rules) {
    this.rules = rules;
  }

  private static final class Level {
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    volatile long deadlineNs;
    volatile String stoppedBy;
    volatile String reason;

    synchronized void stop(String by, String why) {
      if (stoppedBy == null) {
        stoppedBy = by;
        reason = why;
      }
    }
  }

  /** The level's users start now: its deadline counts from here. */
  public void begin(String label, long nowNs) {
    Level l = levels.computeIfAbsent(label, k -> new Level());
    Duration d = rules.maxDuration();
    if (d != null) {
      l.deadlineNs = nowNs + d.toNanos();
    }
  }

  /** A request's record (from the records' writer): counted against the error rate of its level. */
  public void answered(RequestRecord r) {
    if (r.warmup() || r.cancelled() || rules.maxErrorRate() == null) {
      return;
    }
    Level l = levels.computeIfAbsent(r.level(), k -> new Level());
    int failed = r.success() ? l.failed.get() : l.failed.incrementAndGet();
    int answered = l.answered.incrementAndGet();
    if (answered >= rules.minRequests() && failed > rules.maxErrorRate() * answered) {
      l.stop(LevelEnd.MAX_ERROR_RATE, String.format(Locale.ROOT, "stopped by --max-error-rate %s: %d of the first %d "
          + "answered requests failed (%.0f %%)", Saturation.trim(rules.maxErrorRate()), failed, answered,
          100.0 * failed / answered));
    }
  }

  /** The level's users may take another request (none once the climb is over or a rule stopped it). */
  public boolean goOn(String label) {
    if (over != null) {
      return false;
    }
    Level l = levels.get(label);
    if (l == null) {
      return true;
    }
    if (l.deadlineNs != 0 && System.nanoTime() - l.deadlineNs >= 0) {
      l.stop(LevelEnd.MAX_DURATION, "stopped by --max-duration " + Saturation.trim(rules.maxDuration().toMillis() / 1000.0)
          + " s: no request sent after it");
    }
    return l.stoppedBy == null;
  }

  /** Why the climb ended (the profile's higher levels are skipped); null while it goes on. */
  public String over() {
    return over;
  }

  /**
   * The level ended with this result (null when it has none: no request answered): its stop and its
   * over-saturation check; the climb ends here when a rule says so, and {@code higher} are skipped.
   */
  public synchronized LevelEnd end(String label, LevelResult result, List<String> higher) {
    Level l = levels.get(label);
    String stoppedBy = l == null ? null : l.stoppedBy;
    String reason = l == null ? null : l.reason;
    Saturation.Verdict v = result == null ? null : Saturation.of(below, result);
    if (result != null) {
      below = result;
    }
    boolean endsClimb = LevelEnd.MAX_ERROR_RATE.equals(stoppedBy) || v != null && v.overSaturated() && rules.onSaturation();
    if (endsClimb && !higher.isEmpty()) {
      String why = reason != null ? reason : v.reason() + " (--stop-on-saturation)";
      over = why;
      reason = why + "; the climb ends at " + label + ", skipped " + String.join(", ", higher);
    }
    LevelEnd e = new LevelEnd(stoppedBy, reason, endsClimb ? List.copyOf(higher) : List.of(), v);
    ends.put(label, e);
    return e;
  }

  /** What {@link #end} found of the level; null before its end. */
  public LevelEnd ended(String label) {
    return ends.get(label);
  }
}
