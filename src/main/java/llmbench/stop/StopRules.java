package llmbench.stop;

import java.time.Duration;
import java.util.Locale;

/**
 * What may end a level, or a profile's climb of levels, before its planned end (AIPerf's failed-request
 * threshold and duration, guidellm's error rate and over-saturation). None is on by default: the seed's
 * sweep runs every level it plans.
 *
 * @param maxErrorRate a level sends nothing more once more than this share of its answered requests
 *     failed (judged from {@code minRequests} answered on), and the profile's higher levels are skipped;
 *     null: never
 * @param minRequests answered requests before the error rate is judged (a first failure is not 100 %)
 * @param maxDuration a level sends nothing more after this long (what is in flight finishes); null: no bound
 * @param onSaturation the climb ends at the first over-saturated level ({@link Saturation})
 */
public record StopRules(Double maxErrorRate, int minRequests, Duration maxDuration, boolean onSaturation) {
  public static final int DEFAULT_MIN_REQUESTS = 20;
  public static final StopRules NONE = new StopRules(null, DEFAULT_MIN_REQUESTS, null, false);

  public StopRules {
    if (maxErrorRate != null && !(maxErrorRate > 0 && maxErrorRate < 1)) {
      throw new IllegalArgumentException("--max-error-rate must be a share above 0 and below 1 (e.g. 0.2 or 20%), not "
          + maxErrorRate);
    }
    if (minRequests < 1) {
      throw new IllegalArgumentException("--error-min-requests must be 1 or more, not " + minRequests);
    }
    if (maxDuration != null && (maxDuration.isZero() || maxDuration.isNegative())) {
      throw new IllegalArgumentException("--max-duration must be longer than 0, not " + maxDuration.toSeconds() + " s");
    }
  }

  /** Any rule is on. */
  public boolean any() {
    return maxErrorRate != null || maxDuration != null || onSaturation;
  }

  private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

  /** {@code 90}, {@code 90s}, {@code 5m}, {@code 1h} or {@code 500ms}; one line naming {@code option} otherwise. */
  public static Duration duration(String option, String text) {
    java.util.regex.Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    double ms = !m.matches() ? 0 : Double.parseDouble(m.group(1)) * switch (m.group(2) == null ? "s" : m.group(2)) {
      case "ms" -> 1;
      case "m" -> 60_000;
      case "h" -> 3_600_000;
      default -> 1000;
    };
    if (!(ms >= 1)) {
      throw new IllegalArgumentException(option + ": '" + text + "' is not a duration above 0 (e.g. 90, 90s, 5m, 500ms)");
    }
    return Duration.ofMillis(Math.round(ms));
  }
}
