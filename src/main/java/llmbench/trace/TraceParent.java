package llmbench.trace;

import java.util.Locale;

/**
 * The W3C {@code traceparent} header of a request (version 00, sampled), derived from its request id
 * alone, so that a server's OpenTelemetry spans (vLLM {@code --otlp-traces-endpoint}) join the records:
 * the trace id is the run tag (8 hex digits) followed by the request's number in 24 hex digits, the
 * span id that number in 16. Request ids that are not {@code <8 hex>-<number>} get a hash instead.
 */
public final class TraceParent {
  private TraceParent() {}

  public static String of(String requestId) {
    return "00-" + traceId(requestId) + "-" + spanId(requestId) + "-01";
  }

  /** The 32 hex digits of the trace id a request id maps to. */
  public static String traceId(String requestId) {
    int dash = requestId.lastIndexOf('-');
    String tag = dash == 8 ? requestId.substring(0, 8).toLowerCase(Locale.ROOT) : null;
    Long number = dash > 0 ? parse(requestId.substring(dash + 1)) : null;
    if (tag != null && tag.chars().allMatch(c -> Character.digit(c, 16) >= 0) && number != null) {
      return tag + String.format(Locale.ROOT, "%024x", number);
    }
    long h = requestId.hashCode() & 0xffffffffL;
    return String.format(Locale.ROOT, "%08x%024x", h == 0 ? 1 : h, (long) requestId.length());
  }

  private static String spanId(String requestId) {
    int dash = requestId.lastIndexOf('-');
    Long number = dash > 0 ? parse(requestId.substring(dash + 1)) : null;
    long span = number != null && number != 0 ? number : (requestId.hashCode() & 0xffffffffL) | 1;
    return String.format(Locale.ROOT, "%016x", span);
  }

  private static Long parse(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
