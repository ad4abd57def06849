package llmbench.trace;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a failed request's {@code errors} entry says, one wording per kind, and the kind of an entry
 * (for the counts under each level's block and in the summary).
 */
public final class FailureKinds {
  public static final String RECONNECT = "SSE reconnect (request sent twice)";
  /** Gatling failed the stream before any byte of an answer: refined from simulation.log when it can be. */
  public static final String NO_ANSWER = "no answer (see the run folder's client.log)";
  private static final Pattern STATUS = Pattern.compile("response with code (\\d{3})");
  /** The connection closed mid-stream: the record words it with the tokens it had by then. */
  public static final String CLOSED = "connection closed";

  private FailureKinds() {}

  public static String inBand(int tokens, String message) {
    return "in-band error after " + tokens + " tokens: " + shorten(message);
  }

  public static String closed(int tokens) {
    return "connection closed after " + tokens + " tokens";
  }

  /** {@code silentSeconds}: since the last byte (or the request's start) until the await ran out. */
  public static String timeout(double silentSeconds) {
    return String.format(Locale.ROOT, "no bytes for %.1f s (timeout)", silentSeconds);
  }

  public static String slow(int seconds, int tokens) {
    return "timed out after " + seconds + " s with " + tokens + " tokens (the server was still streaming)";
  }

  /**
   * A stream Gatling failed before its answer began, from the message of its connect record in
   * simulation.log: an HTTP status (Gatling's SSE client closes the connection on a non-200 status
   * without reading the body, so the server's message is not known), or the connection's error.
   */
  public static String fromGatling(String message) {
    Matcher m = STATUS.matcher(message);
    if (m.find()) {
      return "HTTP " + m.group(1) + " (the server's message is not read by Gatling's SSE client)";
    }
    return "no answer: " + shorten(message);
  }

  /** A non-2xx answer, with the server's own words (its JSON error's message, or the body, shortened). */
  public static String http(int status, String message) {
    return "HTTP " + status + (message == null || message.isBlank() ? "" : ": " + shorten(message));
  }

  /** No response headers within the limit (a server that never answers a POST). */
  public static String noHeaders(double seconds) {
    return String.format(Locale.ROOT, "no response headers in %.1f s (timeout)", seconds);
  }

  /** The connection could not be made. */
  public static String connect(String why) {
    return "no answer: cannot connect (" + shorten(why) + ")";
  }

  /** The kind of an errors entry: "HTTP 429", "in-band error", "connection closed", "timeout", ... */
  public static String kindOf(String error) {
    if (error.startsWith("HTTP ")) {
      return error.substring(0, Math.min(error.length(), 8));
    }
    if (error.startsWith("in-band error")) {
      return "in-band error";
    }
    if (error.startsWith("connection closed")) {
      return "connection closed";
    }
    if (error.endsWith("(timeout)") || error.startsWith("timed out")) {
      return "timeout";
    }
    if (error.equals(RECONNECT)) {
      return "SSE reconnect";
    }
    if (error.startsWith("no answer")) {
      String lower = error.toLowerCase(Locale.ROOT);
      return lower.contains("refused") ? "connection refused" : "no answer";
    }
    return error.length() > 40 ? error.substring(0, 40) + "..." : error;
  }

  /** Counts by kind, most frequent first. */
  public static Map<String, Integer> count(Iterable<String> errors) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String e : errors) {
      if (e != null && !e.isEmpty()) {
        counts.merge(kindOf(e), 1, Integer::sum);
      }
    }
    Map<String, Integer> sorted = new LinkedHashMap<>();
    counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** "HTTP 429 × 3, in-band error × 1"; empty for none. */
  public static String describe(Map<String, Integer> counts) {
    StringBuilder b = new StringBuilder();
    counts.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(" × ").append(v));
    return b.toString();
  }

  private static String shorten(String s) {
    String t = s.strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }
}
