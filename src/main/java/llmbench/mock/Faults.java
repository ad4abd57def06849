package llmbench.mock;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Fault injection, off by default. A fault is chosen per request, either by the request's
 * {@code X-Mock-Fault} header or at random with the configured rates.
 *
 * <p>Header syntax: {@code 429}, {@code 500}, {@code 503}, {@code error[:AFTER_TOKENS]},
 * {@code drop[:AFTER_TOKENS]}, {@code stall:SECONDS[:AFTER_TOKENS]}, {@code slow-first:MILLIS}, {@code invalid}
 * (a shaped answer that parses but breaks its schema: a structured output's, a tool call's arguments).
 */
public record Faults(double rate429, double rate500, double rate503, double rateError, double rateDrop,
    double rateStall, double stallSeconds, double rateSlowFirst, long slowFirstMillis, double rateInvalid) {

  public static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  public static final String HEADER = "X-Mock-Fault";

  public enum Kind { NONE, HTTP_429, HTTP_500, HTTP_503, INBAND_ERROR, DROP, STALL, SLOW_FIRST, INVALID }

  /** One request's fault. {@code afterTokens} < 0 means "half-way through the output". */
  public record Fault(Kind kind, int afterTokens, long millis) {
    public static final Fault NONE = new Fault(Kind.NONE, 0, 0);

    public int triggerToken(int maxTokens) {
      return afterTokens >= 0 ? afterTokens : Math.max(1, maxTokens / 2);
    }
  }

  public static Fault parseHeader(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String[] p = header.trim().toLowerCase(Locale.ROOT).split(":");
    try {
      return switch (p[0]) {
        case "429" -> new Fault(Kind.HTTP_429, 0, 0);
        case "500" -> new Fault(Kind.HTTP_500, 0, 0);
        case "503" -> new Fault(Kind.HTTP_503, 0, 0);
        case "error" -> new Fault(Kind.INBAND_ERROR, p.length > 1 ? Integer.parseInt(p[1]) : -1, 0);
        case "drop" -> new Fault(Kind.DROP, p.length > 1 ? Integer.parseInt(p[1]) : -1, 0);
        case "stall" -> new Fault(Kind.STALL, p.length > 2 ? Integer.parseInt(p[2]) : -1,
            Math.round(Double.parseDouble(p[1]) * 1000));
        case "slow-first" -> new Fault(Kind.SLOW_FIRST, 0, Long.parseLong(p[1]));
        case "invalid" -> new Fault(Kind.INVALID, 0, 0);
        case "none" -> Fault.NONE;
        default -> throw new IllegalArgumentException("unknown fault '" + header + "'");
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("bad " + HEADER + " header '" + header
          + "': use 429, 500, 503, error[:N], drop[:N], stall:SECONDS[:N], slow-first:MILLIS or invalid");
    }
  }

  /** The rates of {@code option} ({@code 500=0.5,drop=0.1}); an unknown kind or a rate off 0..1 is one line naming it. */
  public static Faults of(String option, java.util.Map<String, Double> rates, double stallSeconds, long slowFirstMs) {
    java.util.List<String> kinds = java.util.List.of("429", "500", "503", "error", "drop", "stall", "slow-first",
        "invalid");
    double sum = 0;
    for (java.util.Map.Entry<String, Double> e : rates.entrySet()) {
      if (!kinds.contains(e.getKey())) {
        throw new IllegalArgumentException("unknown fault '" + e.getKey() + "' in " + option + ": use "
            + String.join(", ", kinds));
      }
      if (!(e.getValue() >= 0 && e.getValue() <= 1)) {
        throw new IllegalArgumentException(option + ": the rate of " + e.getKey() + " must be within 0..1, not " + e.getValue());
      }
      sum += e.getValue();
    }
    if (sum > 1) {
      throw new IllegalArgumentException(option + ": the rates add up to " + sum + ", more than 1");
    }
    java.util.function.ToDoubleFunction<String> r = k -> rates.getOrDefault(k, 0.0);
    return new Faults(r.applyAsDouble("429"), r.applyAsDouble("500"), r.applyAsDouble("503"), r.applyAsDouble("error"),
        r.applyAsDouble("drop"), r.applyAsDouble("stall"), stallSeconds, r.applyAsDouble("slow-first"), slowFirstMs,
        r.applyAsDouble("invalid"));
  }

  public Fault pick(SplittableRandom random) {
    double r = random.nextDouble();
    if ((r -= rate429) < 0) return new Fault(Kind.HTTP_429, 0, 0);
    if ((r -= rate500) < 0) return new Fault(Kind.HTTP_500, 0, 0);
    if ((r -= rate503) < 0) return new Fault(Kind.HTTP_503, 0, 0);
    if ((r -= rateError) < 0) return new Fault(Kind.INBAND_ERROR, -1, 0);
    if ((r -= rateDrop) < 0) return new Fault(Kind.DROP, -1, 0);
    if ((r -= rateStall) < 0) return new Fault(Kind.STALL, -1, Math.round(stallSeconds * 1000));
    if ((r -= rateSlowFirst) < 0) return new Fault(Kind.SLOW_FIRST, 0, slowFirstMillis);
    if ((r -= rateInvalid) < 0) return new Fault(Kind.INVALID, 0, 0);
    return Fault.NONE;
  }

  public boolean any() {
    return rate429 + rate500 + rate503 + rateError + rateDrop + rateStall + rateSlowFirst + rateInvalid > 0;
  }
}
