package llmbench.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import llmbench.openai.StreamChunk;

/**
 * Collects one request's SSE events with their arrival time while the stream runs. {@link #onEvent}
 * is the only method on the timed path: a clock read, an array store and a few string scans; all
 * JSON decoding waits for {@link #toRecord}. An ordinary token chunk is kept as the escaped text of
 * its one text field only (a few bytes, not its ~300-byte event): the events of every open stream
 * survive each young GC until their stream ends, and copying them made pauses of 20–50 ms that
 * stalled every stream at once (docs/PERFORMANCE.md). Anything else is kept whole.
 */
public final class StreamRecorder {
  private static final String TEXT = "\"text\":\"";
  private static final String CONTENT = "\"content\":\"";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String id;
  private final long startNs;
  private final long startEpochMs;
  private long[] ns = new long[64];
  private String[] events = new String[64];
  private boolean[] textOnly = new boolean[64]; // events[i] is the escaped text of a plain token chunk
  private int n;
  private boolean sawChoices;
  private String firstResponseId;
  private boolean reconnected;
  private boolean sawChoiceWithoutRole;
  private long endNs;
  private long failedNs;
  private int timeoutSeconds;
  private Kind lastKind = Kind.OTHER;
  private long dueNs;
  private long readyNs;
  private int turn;
  private long session;

  public StreamRecorder(String id) {
    this.id = id;
    this.startEpochMs = System.currentTimeMillis();
    this.startNs = System.nanoTime();
  }

  public String id() {
    return id;
  }

  /** A chat session's turn (from 1) and the session's number. */
  public StreamRecorder turn(long session, int turn) {
    this.session = session;
    this.turn = turn;
    return this;
  }

  /** Open model: when the request was due, and when it could go (a user free); see {@link RequestRecord}. */
  public StreamRecorder scheduled(long dueNs, long readyNs) {
    this.dueNs = dueNs;
    this.readyNs = readyNs;
    return this;
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
      textOnly = Arrays.copyOf(textOnly, n * 2);
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
    boolean role = event.contains("\"role\":\"assistant\"");
    // a role chunk after chunks without one is a stream that started again; servers that put the
    // role on every delta (TGI, LM Studio) never have a chunk without it
    if (role && sawChoiceWithoutRole) {
      reconnected = true;
    }
    if (reconnected) {
      return Kind.RECONNECT;
    }
    if (hasChoices(event)) {
      sawChoices = true;
      sawChoiceWithoutRole |= !role;
      String text = plainTokenText(event);
      if (text != null) {
        events[n - 1] = text;
        textOnly[n - 1] = true;
      }
      return Kind.CHOICES;
    }
    return Kind.OTHER;
  }

  /**
   * The escaped value of the one text field of an ordinary token chunk, or null when the event needs
   * a full decode later: usage, a finish reason, an error, reasoning text, or not exactly one text field.
   */
  static String plainTokenText(String e) {
    if (!e.contains("\"finish_reason\":null") || e.contains("\"usage\":{") || e.contains("\"error\"")
        || e.contains("\"reasoning\":\"") || e.contains("\"reasoning_content\":\"")) {
      return null;
    }
    int t = e.indexOf(TEXT);
    int c = e.indexOf(CONTENT);
    if ((t < 0) == (c < 0)) {
      return null; // neither or both
    }
    String field = t >= 0 ? TEXT : CONTENT;
    int from = (t >= 0 ? t : c) + field.length();
    int end = from;
    while (end < e.length() && e.charAt(end) != '"') {
      end += e.charAt(end) == '\\' ? 2 : 1;
    }
    if (end >= e.length() || e.indexOf(field, end) >= 0) {
      return null;
    }
    return e.substring(from, end);
  }

  /**
   * Gatling failed the stream now (its await ran out, the connection closed, or the answer was not
   * 200): kept to tell a timeout (no bytes for the whole await) from the rest.
   */
  public void markFailed(long nowNs, int awaitSeconds) {
    failedNs = nowNs;
    timeoutSeconds = awaitSeconds;
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
      if (textOnly[i]) {
        chunkNs[chunks++] = ns[i];
        text.append(unescape(events[i]));
        continue;
      }
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
    if (error != null) {
      error = FailureKinds.inBand(chunks, error);
    }
    if (reconnected && error == null) {
      error = FailureKinds.RECONNECT;
    }
    if (error == null && (failedNs > 0 || transportError != null)) {
      long lastNs = n > 0 ? ns[n - 1] : startNs;
      // Gatling's await runs from the request's start: a stream it ended there went silent (for at
      // least half of it) or was still streaming when the whole await was up
      long awaitNs = timeoutSeconds * 1_000_000_000L * 99 / 100;
      boolean awaitUp = failedNs > 0 && timeoutSeconds > 0 && failedNs - startNs >= awaitNs;
      if (awaitUp && failedNs - lastNs >= awaitNs / 2) {
        error = FailureKinds.timeout((failedNs - lastNs) / 1e9);
      } else if (awaitUp) {
        error = FailureKinds.slow(timeoutSeconds, chunks);
      } else if (chunks > 0 && !done && !finished) {
        error = FailureKinds.closed(chunks);
      } else if (chunks == 0) {
        error = transportError != null ? transportError : FailureKinds.NO_ANSWER;
      }
    }
    if (error == null && chunks == 0) {
      error = "no chunk with choices received";
    }
    if (error == null && !done && !finished) {
      error = FailureKinds.closed(chunks);
    }
    long end = chunks > 0 ? chunkNs[chunks - 1] : (endNs > 0 ? endNs : System.nanoTime());
    return new RequestRecord(id, profile, level, concurrency, requestedInput, requestedOutput, startNs,
        end, startEpochMs, Arrays.copyOf(chunkNs, chunks), prompt, completion, text.toString(),
        error == null, error, dueNs, readyNs, turn, session);
  }

  private static String unescape(String jsonStringBody) {
    if (jsonStringBody.indexOf('\\') < 0) {
      return jsonStringBody;
    }
    try {
      return JSON.readValue("\"" + jsonStringBody + "\"", String.class);
    } catch (java.io.IOException e) {
      return jsonStringBody;
    }
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
