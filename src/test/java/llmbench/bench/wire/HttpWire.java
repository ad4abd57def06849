package llmbench.bench.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 exchanges read back from reassembled TCP streams: each request with the capture time of
 * its first byte and its {@code X-Request-Id}, and its response de-chunked and split into SSE events,
 * each stamped with the time of the segment holding its last byte (when a client can first act on it).
 * Written from the specs (RFC 9112 chunked coding, the WHATWG event-stream format), not from the
 * client's code, so that it is an independent judge of the client's stamps.
 */
public final class HttpWire {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * One request and its response, times in capture ns (CLOCK_REALTIME).
   *
   * @param newConnection true when this was the connection's first request and its SYN was captured
   * @param choiceNs the times of the SSE events whose {@code choices} list is not empty
   */
  public record Exchange(String requestId, String client, boolean newConnection, long synNs,
      long requestFirstNs, long requestLastNs, int status, long headersNs, long[] choiceNs, long doneNs,
      long endNs, boolean serverClosed, String body) {}

  private HttpWire() {}

  /** Every complete exchange of every connection, in the order the connections began. */
  public static List<Exchange> exchanges(List<TcpFlows.Connection> connections) {
    List<Exchange> out = new ArrayList<>();
    for (TcpFlows.Connection c : connections) {
      out.addAll(exchanges(c));
    }
    return out;
  }

  static List<Exchange> exchanges(TcpFlows.Connection c) {
    List<Exchange> out = new ArrayList<>();
    Timeline req = c.requestBytes();
    Timeline res = c.responseBytes();
    int rq = 0;
    int rs = 0;
    boolean first = true;
    while (true) {
      Message request = Message.read(req, rq, false);
      if (request == null) {
        break;
      }
      rq = request.end;
      Message response = Message.read(res, rs, true);
      while (response != null && response.status >= 100 && response.status < 200) {
        response = Message.read(res, response.end, true); // 100 Continue
      }
      if (response == null) {
        break; // the capture ended before the answer did
      }
      rs = response.end;
      long[] choices = response.choiceNs.stream().mapToLong(Long::longValue).toArray();
      boolean last = response.end >= res.size();
      out.add(new Exchange(request.headers.get("x-request-id"), c.client, first && c.synNs >= 0, c.synNs,
          request.firstNs, request.lastNs, response.status, response.headersNs, choices, response.doneNs,
          response.lastNs, last && c.serverClosedFirst(), response.plainBody));
      first = false;
    }
    return out;
  }

  /** One parsed HTTP message; for a response, its SSE events too. */
  private static final class Message {
    int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    long firstNs;
    long lastNs;
    long headersNs;
    int end;
    final List<Long> choiceNs = new ArrayList<>();
    long doneNs = -1;
    String plainBody;

    static Message read(Timeline t, int from, boolean response) {
      int headEnd = t.indexOf(HEADER_END, from);
      if (headEnd < 0) {
        return null;
      }
      Message m = new Message();
      String head = new String(t.slice(from, headEnd), StandardCharsets.ISO_8859_1);
      String[] lines = head.split("\r\n");
      if (response) {
        String[] parts = lines[0].split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
          return null;
        }
        m.status = Integer.parseInt(parts[1]);
      }
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          m.headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
      }
      m.firstNs = t.timeOf(from);
      int bodyStart = headEnd + HEADER_END.length;
      m.headersNs = t.timeOf(bodyStart - 1);
      boolean sse = response && m.headers.getOrDefault("content-type", "").startsWith("text/event-stream");
      EventSplitter events = sse ? new EventSplitter(m) : null;
      ByteArrayOutputStream plain = sse ? null : new ByteArrayOutputStream();
      int pos = bodyStart;
      String te = m.headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
      boolean noBody = response && (m.status == 204 || m.status == 304 || m.status < 200);
      if (noBody) {
        m.end = bodyStart;
      } else if (te.contains("chunked")) {
        while (true) {
          int lineEnd = t.indexOf(new byte[] {'\r', '\n'}, pos);
          if (lineEnd < 0) {
            return null;
          }
          String sizeLine = new String(t.slice(pos, lineEnd), StandardCharsets.ISO_8859_1);
          int semi = sizeLine.indexOf(';');
          int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
          int data = lineEnd + 2;
          if (size == 0) {
            int trailerEnd = t.indexOf(new byte[] {'\r', '\n'}, data); // no trailers: an empty line
            if (trailerEnd < 0) {
              return null;
            }
            m.end = trailerEnd + 2;
            break;
          }
          if (data + size + 2 > t.size()) {
            return null;
          }
          feed(t, data, data + size, events, plain);
          pos = data + size + 2;
        }
      } else if (m.headers.containsKey("content-length")) {
        int len = Integer.parseInt(m.headers.get("content-length"));
        if (bodyStart + len > t.size()) {
          return null;
        }
        feed(t, bodyStart, bodyStart + len, events, plain);
        m.end = bodyStart + len;
      } else if (response) {
        feed(t, bodyStart, t.size(), events, plain); // until the connection closes
        m.end = t.size();
      } else {
        m.end = bodyStart;
      }
      m.lastNs = t.timeOf(Math.max(from, m.end - 1));
      if (plain != null) {
        String b = plain.toString(StandardCharsets.UTF_8);
        m.plainBody = b.length() > 500 ? b.substring(0, 500) : b;
      }
      return m;
    }

    private static void feed(Timeline t, int from, int to, EventSplitter events, ByteArrayOutputStream plain) {
      for (int i = from; i < to; i++) {
        if (events != null) {
          events.accept(t.at(i), t, i);
        } else {
          plain.write(t.at(i));
        }
      }
    }
  }

  /** The event-stream format: lines end in CRLF, LF or CR; a blank line dispatches the event. */
  private static final class EventSplitter {
    private final Message m;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private boolean lastWasCr;

    EventSplitter(Message m) {
      this.m = m;
    }

    void accept(byte b, Timeline t, int offset) {
      if (b == '\n' && lastWasCr) {
        lastWasCr = false;
        return; // the LF of a CRLF
      }
      lastWasCr = b == '\r';
      if (b != '\n' && b != '\r') {
        line.write(b);
        return;
      }
      String l = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (l.isEmpty()) {
        if (hasData) {
          dispatch(t.timeOf(offset));
        }
        data.setLength(0);
        hasData = false;
      } else if (l.startsWith("data:")) {
        String v = l.substring(5);
        if (hasData) {
          data.append('\n');
        }
        data.append(v.startsWith(" ") ? v.substring(1) : v);
        hasData = true;
      }
    }

    private void dispatch(long ns) {
      String d = data.toString();
      if (d.equals("[DONE]")) {
        m.doneNs = ns;
        return;
      }
      try {
        JsonNode n = JSON.readTree(d);
        JsonNode choices = n.path("choices");
        if (choices.isArray() && !choices.isEmpty()) {
          m.choiceNs.add(ns);
        }
      } catch (java.io.IOException notJson) {
        // a keep-alive or other non-JSON event: not a token
      }
    }
  }
}
