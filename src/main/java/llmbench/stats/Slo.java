package llmbench.stats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Goodput service-level objectives in ms, as vLLM's {@code --goodput ttft:MS tpot:MS e2el:MS}.
 * A request is good iff it meets every objective given.
 */
public record Slo(Map<String, Double> limitsMs) {
  public static final Slo NONE = new Slo(Map.of());

  /** Parses {@code "ttft:500,tpot:50"} (commas or spaces between pairs). */
  public static Slo parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    Map<String, Double> m = new LinkedHashMap<>();
    for (String pair : spec.trim().split("[,\\s]+")) {
      String[] kv = pair.split(":");
      if (kv.length != 2 || !(kv[0].equals("ttft") || kv[0].equals("tpot") || kv[0].equals("e2el"))) {
        throw new IllegalArgumentException("bad goodput SLO '" + pair + "': use ttft:MS, tpot:MS or e2el:MS");
      }
      try {
        double v = Double.parseDouble(kv[1]);
        if (v < 0) {
          throw new NumberFormatException();
        }
        m.put(kv[0], v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad goodput SLO '" + pair + "': the limit must be a number of ms >= 0");
      }
    }
    return new Slo(Map.copyOf(m));
  }

  public boolean isEmpty() {
    return limitsMs.isEmpty();
  }

  boolean good(double ttftS, double tpotS, double e2elS) {
    return within("ttft", ttftS) && within("tpot", tpotS) && within("e2el", e2elS);
  }

  private boolean within(String key, double seconds) {
    Double limit = limitsMs.get(key);
    return limit == null || seconds * 1000 <= limit;
  }
}
