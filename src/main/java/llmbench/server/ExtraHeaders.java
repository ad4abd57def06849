package llmbench.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Headers every request to the server carries beyond the run's own ({@code --header K:V}): a gateway's
 * routing or tenant header, an auth scheme other than a bearer key. Sent with the discovery, the
 * preflight, the server's {@code /metrics} and every measured request; written only redacted
 * ({@link #redacted}: an {@code Authorization}-like header's value never reaches a file or the console).
 */
public record ExtraHeaders(Map<String, String> values) {
  public static final ExtraHeaders NONE = new ExtraHeaders(Map.of());
  private static final Pattern NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** Set by the run itself: a second value would change what is measured or break the stream. */
  private static final List<String> OURS = List.of("host", "content-type", "content-length", "accept", "connection",
      "x-request-id", "traceparent", "transfer-encoding", "expect", "upgrade");
  private static final Pattern SECRET = Pattern.compile("(?i)(.*auth.*|.*key.*|.*token.*|.*secret.*|cookie|.*password.*)");

  public ExtraHeaders {
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values)); // in the order given
  }

  /** {@code Name: value} each; one line naming {@code --header} for a malformed one or one the run sets. */
  public static ExtraHeaders parse(List<String> given) {
    Map<String, String> v = new LinkedHashMap<>();
    for (String h : given == null ? List.<String>of() : given) {
      int colon = h.indexOf(':');
      String name = colon < 0 ? "" : h.substring(0, colon).strip();
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("--header '" + redactedText(h) + "': not NAME:VALUE (e.g. X-Tenant:a)");
      }
      if (OURS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("--header " + name + ": the run sets it itself");
      }
      if (v.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name))) {
        throw new IllegalArgumentException("--header " + name + " is given twice");
      }
      v.put(name, h.substring(colon + 1).strip());
    }
    return new ExtraHeaders(v);
  }

  private static String redactedText(String h) {
    return SECRET.matcher(h).matches() ? Redactor.REDACTED : h;
  }

  public boolean any() {
    return !values.isEmpty();
  }

  /** True when one of them is {@code Authorization}. */
  public boolean authorization() {
    return values.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("authorization"));
  }

  /** The names, each value redacted where the name looks like a secret's, for files and the console. */
  public Map<String, String> redacted() {
    Map<String, String> r = new LinkedHashMap<>();
    values.forEach((k, val) -> r.put(k, SECRET.matcher(k).matches() ? Redactor.REDACTED : Redactor.text(val)));
    return r;
  }
}
