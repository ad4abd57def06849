package llmbench.stop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a level ended, kept in the run's facts for its result: what stopped it before its planned end
 * (null: it ran as planned), the profile's levels skipped after it, and what the over-saturation check
 * found of it (null: not checked, e.g. an interrupted run's last level).
 *
 * @param stoppedBy {@code max_error_rate} or {@code max_duration}; null when it ran to its end
 * @param reason why, in words; also why the climb ended here when {@code skipped} is not empty
 * @param skipped the profile's higher levels not run because of this level
 */
public record LevelEnd(String stoppedBy, String reason, List<String> skipped, Saturation.Verdict saturation) {
  public static final String MAX_ERROR_RATE = "max_error_rate";
  public static final String MAX_DURATION = "max_duration";

  /** The result's keys. */
  public Map<String, Object> resultKeys() {
    Map<String, Object> k = new LinkedHashMap<>();
    if (stoppedBy != null) {
      k.put("stopped_by", stoppedBy);
    }
    if (reason != null) {
      k.put("stop_reason", reason);
    }
    if (skipped != null && !skipped.isEmpty()) {
      k.put("levels_skipped", skipped);
    }
    if (saturation != null && !saturation.evidence().isEmpty()) { // judged (a first closed level is not)
      k.put("over_saturated", saturation.overSaturated());
      if (saturation.reason() != null) {
        k.put("over_saturation", saturation.reason());
      }
      k.putAll(saturation.evidence());
    }
    return k;
  }

  /** What the level's block and the report say of it. */
  public List<String> warnings() {
    List<String> w = new java.util.ArrayList<>();
    if (reason != null) {
      w.add(reason);
    }
    if (saturation != null && saturation.overSaturated() && (reason == null || !reason.contains(saturation.reason()))) {
      w.add(saturation.reason());
    }
    return w;
  }
}
