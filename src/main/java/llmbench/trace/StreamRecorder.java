package llmbench.trace;

import java.util.Arrays;
import llmbench.openai.StreamChunk;

/**
 * Collects one request's SSE events with their arrival time while the stream runs. {@link #onEvent}
 * is the only method on the timed path: a clock read, an array store and a few string scans; all
 * JSON decoding waits for {@link #toRecord}.
 */
public final class StreamRecorder {
  private final String id;
  private final long startNs;
  private final long startEpochMs;
  private long[] ns = new long[64];
  private String[] events = new String[64];
  private int n;
  private boolean sawChoices;
  private String firstResponseId;
  private boolean reconnected;
  private int roleChunks;
  private long endNs;
  private Kind lastKind = Kind.OTHER;

  public StreamRecorder(String id) {
    this.id = id;
    this.startEpochMs = System.currentTimeMillis();
    this.startNs = System.nanoTime();
  }

  public String id() {
    return id;
  }

  /** What the SSE checks need to know about an event right away. */
  public enum Kind { OTHER, CHOICES, DONE, ERROR, RECONNECT }

  /** Stamps and keeps an event; called once per SSE event, on the stream's event loop. */
  public Kind onEvent(String event) {
    long now = System.nanoTime();
    lastKind = classify(event, now);
    return lastKind;
  }

  /** The kind of the last event seen. */
  public Kind lastKind() {
    return lastKind;
  }

  private Kind classify(String event, long now) {
    if (n == ns.length) {
      ns = Arrays.copyOf(ns, n * 2);
      events = Arrays.copyOf(events, n * 2);
    }
    ns[n] = now;
    events[n++] = event;
    endNs = now;
    if (event.endsWith("[DONE]}") || event.endsWith("\"[DONE]\"}")) {
      return Kind.DONE;
    }
    if (isError(event)) {
      return Kind.ERROR;
    }
    String rid = responseId(event);
    if (rid != null) {
      if (firstResponseId == null) {
        firstResponseId = rid;
      } else if (!rid.equals(firstResponseId)) {
        reconnected = true;
      }
    }
    if (event.contains("\"role\":\"assistant\"") && ++roleChunks > 1) {
      reconnected = true;
    }
    if (reconnected) {
      return Kind.RECONNECT;
    }
    if (hasChoices(event)) {
      sawChoices = true;
      return Kind.CHOICES;
    }
    return Kind.OTHER;
  }

  public boolean sawChoices() {
    return sawChoices;
  }

  /** Decodes the kept events into a record. {@code transportError} is Gatling's view of a failure. */
  public RequestRecord toRecord(String profile, String level, int concurrency, int requestedInput,
      int requestedOutput, String transportError) {
    long[] chunkNs = new long[n];
    int chunks = 0;
    StringBuilder text = new StringBuilder();
    int prompt = -1;
    int completion = -1;
    String error = null;
    boolean done = false;
    boolean finished = false;
    for (int i = 0; i < n; i++) {
      StreamChunk c = StreamChunk.parse(events[i]);
      if (c.done()) {
        done = true;
        continue;
      }
      if (c.error() != null && error == null) {
        error = c.error();
      }
      if (c.promptTokens() >= 0) {
        prompt = c.promptTokens();
      }
      if (c.completionTokens() >= 0) {
        completion = c.completionTokens();
      }
      if (c.hasChoices()) {
        chunkNs[chunks++] = ns[i];
        text.append(c.text());
        finished |= c.finishReason() != null;
      }
    }
    if (reconnected && error == null) {
      error = "SSE stream reconnected after the connection dropped (the request was sent twice)";
    }
    if (error == null && chunks == 0) {
      error = transportError != null ? transportError : "no chunk with choices received";
    }
    if (error == null && !done && !finished) {
      error = transportError != null ? transportError : "stream ended without [DONE] or finish_reason";
    }
    long end = chunks > 0 ? chunkNs[chunks - 1] : (endNs > 0 ? endNs : System.nanoTime());
    return new RequestRecord(id, profile, level, concurrency, requestedInput, requestedOutput, startNs,
        end, startEpochMs, Arrays.copyOf(chunkNs, chunks), prompt, completion, text.toString(),
        error == null, error);
  }

  private static boolean isError(String e) {
    return e.startsWith("{\"data\":{\"error\"") || e.startsWith("{\"data\":{\"object\":\"error\"")
        || (e.contains("\"error\":{") && !e.contains("\"choices\":[{"));
  }

  /** True when the event has a non-empty {@code choices} array. */
  static boolean hasChoices(String e) {
    int i = e.indexOf("\"choices\"");
    if (i < 0) {
      return false;
    }
    i += 9;
    int len = e.length();
    while (i < len && (e.charAt(i) == ' ' || e.charAt(i) == ':')) {
      i++;
    }
    if (i >= len || e.charAt(i) != '[') {
      return false;
    }
    i++;
    while (i < len && Character.isWhitespace(e.charAt(i))) {
      i++;
    }
    return i < len && e.charAt(i) != ']';
  }

  private static String responseId(String e) {
    int i = e.indexOf("\"id\":\"");
    if (i < 0 || i > 40) {
      return null; // only the chunk's own id, which servers put first
    }
    int end = e.indexOf('"', i + 6);
    return end < 0 ? null : e.substring(i + 6, end);
  }
}
