package llmbench.testutil;

import java.util.ArrayList;
import java.util.List;

/**
 * An SSE parser written from the WHATWG spec for tests, independent of the production code: lines end
 * in LF, CRLF or CR; a blank line dispatches; ':' lines are comments; data lines join with LF.
 */
public final class SseParser {
  public record Event(String event, String data, String id) {}

  private SseParser() {}

  public static List<Event> parse(String stream) {
    List<Event> out = new ArrayList<>();
    StringBuilder data = null;
    String event = null;
    String id = null;
    int i = 0;
    int n = stream.length();
    while (i <= n) {
      int end = i;
      while (end < n && stream.charAt(end) != '\n' && stream.charAt(end) != '\r') {
        end++;
      }
      if (end == n && i == n) {
        break;
      }
      String line = stream.substring(i, end);
      i = end + (end < n - 1 && stream.charAt(end) == '\r' && stream.charAt(end + 1) == '\n' ? 2 : 1);
      if (line.isEmpty()) {
        if (data != null) {
          out.add(new Event(event, data.toString(), id));
        }
        data = null;
        event = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "data" -> {
          if (data == null) {
            data = new StringBuilder(value);
          } else {
            data.append('\n').append(value);
          }
        }
        case "event" -> event = value;
        case "id" -> id = value;
        default -> { }
      }
    }
    return out;
  }
}
