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
  /** The fields a token chunk's text is in: the answer (completions, chat), then thinking (vLLM, SGLang/llama.cpp). */
  private static final String[] FIELDS = {"\"text\":\"", "\"content\":\"", "\"reasoning\":\"",
      "\"reasoning_content\":\""};
  private static final String COMPLETION_TOKENS = "\"completion_tokens\":";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String id;
  private final long startNs;
  private final long startEpochMs;
  private long[] ns = new long[64];
  private String[] events = new String[64];
  private boolean[] textOnly = new boolean[64]; // events[i] is the escaped text of a plain token chunk
  private boolean[] thinking = new boolean[64]; // ... of thinking
  private int[] usageTokens = new int[64]; // ... whose usage said this many tokens so far; -1 none
  private int n;
  private boolean sawChoices;
  private String firstResponseId;
  private boolean reconnected;
  private boolean sawChoiceWithoutRole;
  private long endNs;
  private long failedNs;
  private int timeoutSeconds;
  private Kind lastKind = Kind.OTHER;
  private String knownError;
  private boolean sawFinish;
  private long firstTokenNs;
  private int errorAt = -1; // the first in-band error's event
  private long dueNs;
  private long readyNs;
  private int turn;
  private long session;
  private boolean cancelled;

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
    return onEvent(event, System.nanoTime());
  }

  /**
   * Keeps an event read at {@code nowNs} (when its bytes were read): a bare SSE data payload (JSON, or
   * {@code [DONE]}), or Gatling's JSON view of an event ({@code {"data":...}}).
   */
  public Kind onEvent(String event, long nowNs) {
    lastKind = classify(event, nowNs);
    return lastKind;
  }

  /**
   * The stream failed for a reason the client knows exactly (an HTTP status with the server's words,
   * a timeout, a connection that failed): what the record's error says, unless an in-band error came
   * first. {@code nowNs}: when it failed.
   */
  public void failed(String why, long nowNs) {
    if (knownError == null) {
      knownError = why;
      failedNs = nowNs;
    }
  }

  /** The client closed the stream on purpose ({@code --cancel-rate}) at {@code nowNs}: counted apart, not a failure. */
  public void cancelled(long nowNs) {
    cancelled = true;
    endNs = nowNs;
  }

  /** The answer's tokens so far: its chunks with choices (the unit a cancellation after N tokens counts). */
  public int chunksSoFar() {
    return chunkCount();
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
      thinking = Arrays.copyOf(thinking, n * 2);
      usageTokens = Arrays.copyOf(usageTokens, n * 2);
    }
    ns[n] = now;
    events[n++] = event;
    endNs = now;
    if (event.endsWith("[DONE]}") || event.endsWith("\"[DONE]\"}") || event.equals("[DONE]")) {
      return Kind.DONE;
    }
    if (isError(event)) {
      if (errorAt < 0) {
        errorAt = n - 1;
      }
      return Kind.ERROR;
    }
    boolean choices = hasChoices(event);
    if (!choices && event.contains("\"type\":\"response.")) { // the Responses API's typed events: no chat ids, no roles
      return responsesKind(event, now);
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
    if (choices) {
      sawChoices = true;
      sawFinish |= event.contains("\"finish_reason\":\"");
      sawChoiceWithoutRole |= !role;
      if (firstTokenNs == 0 && hasText(event)) {
        firstTokenNs = now;
      }
      int field = plainTokenField(event);
      if (field >= 0) {
        events[n - 1] = fieldValue(event, field);
        textOnly[n - 1] = true;
        thinking[n - 1] = field >= 2;
        usageTokens[n - 1] = usageTokens(event);
      }
      return Kind.CHOICES;
    }
    return Kind.OTHER;
  }

  /** A Responses API event: a delta is a chunk of tokens (the first with text, TTFT), completed ends the answer. */
  private Kind responsesKind(String e, long now) {
    if (e.contains("\"response.output_text.delta\"") || e.contains("\"response.reasoning_text.delta\"")
        || e.contains("\"response.reasoning_summary_text.delta\"")) {
      sawChoices = true;
      int at = e.indexOf("\"delta\":\"");
      if (firstTokenNs == 0 && at >= 0 && at + 9 < e.length() && e.charAt(at + 9) != '"') {
        firstTokenNs = now;
      }
      return Kind.CHOICES;
    }
    if (e.contains("\"response.completed\"") || e.contains("\"response.incomplete\"")) {
      sawFinish = true;
      return Kind.DONE;
    }
    if (e.contains("\"response.failed\"")) {
      if (errorAt < 0) {
        errorAt = n - 1;
      }
      return Kind.ERROR;
    }
    return Kind.OTHER;
  }

  /**
   * A pooling endpoint's whole answer (embeddings, rerank), read at {@code nowNs}: one chunk that ends
   * the request; decoded with the rest (its vectors are never kept as text).
   */
  public Kind onWholeAnswer(String body, long nowNs) {
    onEvent(body, nowNs);
    boolean error = body.startsWith("{\"error\"") || body.contains("\"object\":\"error\"");
    if (!error) {
      sawChoices = true;
      sawFinish = true;
      if (firstTokenNs == 0) {
        firstTokenNs = nowNs;
      }
    }
    lastKind = error ? Kind.ERROR : Kind.DONE;
    return lastKind;
  }

  /**
   * A chunk with some text (answer or thinking) in one of its text fields, or the start of a tool
   * call (its name or arguments are the answer's first tokens): the first token, for TTFT.
   */
  private static boolean hasText(String e) {
    if (e.contains("\"tool_calls\":[{")) {
      return true;
    }
    for (String f : FIELDS) {
      int at = e.indexOf(f);
      if (at >= 0 && at + f.length() < e.length() && e.charAt(at + f.length()) != '"') {
        return true;
      }
    }
    return false;
  }

  /** The last chunk with a choice, kept whole (the one with the finish reason), or null. */
  public String finalChoiceChunk() {
    for (int i = n - 1; i >= 0; i--) {
      if (!textOnly[i] && events[i].contains("\"choices\":[{")) {
        return events[i];
      }
    }
    return null;
  }

  /**
   * The answer put together from the events kept so far (decoded here: a request pays for it only
   * when a check or the session needs the answer).
   */
  public llmbench.openai.Answer answer(int status, String error) {
    llmbench.openai.Answer.Builder b = new llmbench.openai.Answer.Builder();
    for (int i = 0; i < n; i++) {
      if (textOnly[i]) {
        b.token(unescape(events[i]), thinking[i]);
      } else {
        b.chunk(events[i]);
      }
    }
    return b.build(status, error);
  }

  /** When the first chunk with text was read (vLLM's TTFT end), 0 before it. */
  public long firstTokenNs() {
    return firstTokenNs;
  }

  /** When the request started (this recorder was made just before it was written). */
  public long startNs() {
    return startNs;
  }

  public long startEpochMs() {
    return startEpochMs;
  }

  /**
   * Which of the text fields ({@link #FIELDS}) an ordinary token chunk holds its text in, or -1 when the
   * event needs a full decode later: a finish reason, an error, usage without a token count, or not
   * exactly one text field with a string value (SGLang's other field is null).
   */
  static int plainTokenField(String e) {
    if (!e.contains("\"finish_reason\":null") || e.contains("\"error\"")
        || e.contains("\"usage\":{") && !e.contains(COMPLETION_TOKENS)) {
      return -1;
    }
    int found = -1;
    for (int f = 0; f < FIELDS.length; f++) {
      int at = e.indexOf(FIELDS[f]);
      if (at < 0) {
        continue;
      }
      if (found >= 0 || e.indexOf(FIELDS[f], valueEnd(e, at + FIELDS[f].length())) >= 0) {
        return -1; // two text fields, or one twice
      }
      found = f;
    }
    return found >= 0 && valueEnd(e, e.indexOf(FIELDS[found]) + FIELDS[found].length()) < e.length() ? found : -1;
  }

  /** The escaped value of field {@code f} of an event {@link #plainTokenField} accepted. */
  static String fieldValue(String e, int f) {
    int from = e.indexOf(FIELDS[f]) + FIELDS[f].length();
    return e.substring(from, valueEnd(e, from));
  }

  /** The index of the quote that ends a JSON string value starting at {@code from}. */
  private static int valueEnd(String e, int from) {
    int end = from;
    while (end < e.length() && e.charAt(end) != '"') {
      end += e.charAt(end) == '\\' ? 2 : 1;
    }
    return end;
  }

  /** A chunk's own usage, as servers asked for usage on every chunk send it: tokens so far, or -1. */
  static int usageTokens(String e) {
    int at = e.indexOf(COMPLETION_TOKENS);
    if (at < 0) {
      return -1;
    }
    int i = at + COMPLETION_TOKENS.length();
    while (i < e.length() && e.charAt(i) == ' ') {
      i++;
    }
    int v = 0;
    int digits = 0;
    for (; i < e.length() && Character.isDigit(e.charAt(i)); i++, digits++) {
      v = v * 10 + (e.charAt(i) - '0');
    }
    return digits == 0 ? -1 : v;
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

  /**
   * What the record will say, told cheaply on the event loop (no decoding): null when the stream
   * succeeded (tokens, then [DONE] or a finish reason), else the failure's words.
   */
  public String verdict() {
    if (cancelled) {
      return null;
    }
    if (knownError != null) {
      return knownError.equals(FailureKinds.CLOSED) ? FailureKinds.closed(chunkCount()) : knownError;
    }
    if (errorAt >= 0) { // rare: decoded here, for the server's words
      int before = 0;
      for (int i = 0; i < errorAt; i++) {
        before += textOnly[i] || hasChoices(events[i]) ? 1 : 0;
      }
      String message = StreamChunk.parse(events[errorAt]).error();
      return FailureKinds.inBand(before, message == null ? "(no message)" : message);
    }
    if (reconnected) {
      return FailureKinds.RECONNECT;
    }
    if (!sawChoices) {
      return "no chunk with choices received";
    }
    return lastKind == Kind.DONE || sawFinish ? null : FailureKinds.closed(chunkCount());
  }

  private int chunkCount() {
    int c = 0;
    for (int i = 0; i < n; i++) {
      c += textOnly[i] || hasChoices(events[i]) ? 1 : 0;
    }
    return c;
  }

  /** Decodes the kept events into a record. {@code transportError} is Gatling's view of a failure. */
  public RequestRecord toRecord(String profile, String level, int concurrency, int requestedInput,
      int requestedOutput, String transportError) {
    long[] chunkNs = new long[n];
    int[] chunkUsage = new int[n]; // tokens so far after each chunk, as its usage said; -1 when it said nothing
    int chunks = 0;
    StringBuilder text = new StringBuilder();
    StringBuilder thought = new StringBuilder();
    int prompt = -1;
    int completion = -1;
    int reasoningTokens = -1;
    String error = null;
    boolean done = false;
    boolean finished = false;
    long answerNs = 0;
    long reasoningEndNs = 0;
    int reasoningChunks = 0;
    int lastReasoningChunk = -1;
    int textChunks = 0;
    long toolCallNs = 0;
    for (int i = 0; i < n; i++) {
      String answer;
      String thinkingText;
      int usage;
      if (textOnly[i]) {
        String t = unescape(events[i]);
        answer = thinking[i] ? "" : t;
        thinkingText = thinking[i] ? t : "";
        usage = usageTokens[i];
      } else {
        StreamChunk c = StreamChunk.parse(events[i]);
        if (c.error() != null && error == null) {
          error = c.error();
        }
        if (c.promptTokens() >= 0) {
          prompt = c.promptTokens();
        }
        if (c.completionTokens() >= 0) {
          completion = c.completionTokens();
        }
        if (c.reasoningTokens() >= 0) {
          reasoningTokens = c.reasoningTokens();
        }
        if (c.done()) { // [DONE], or the Responses API's response.completed with its usage
          done = true;
          continue;
        }
        if (!c.hasChoices()) {
          continue;
        }
        if (toolCallNs == 0 && events[i].contains("\"tool_calls\":[{")) {
          toolCallNs = ns[i];
        }
        finished |= c.finishReason() != null;
        answer = c.text();
        thinkingText = c.reasoning();
        usage = c.completionTokens();
      }
      chunkNs[chunks] = ns[i];
      chunkUsage[chunks++] = usage;
      if (!thinkingText.isEmpty()) {
        reasoningChunks++;
        lastReasoningChunk = chunks - 1;
        reasoningEndNs = ns[i];
        thought.append(thinkingText);
      }
      if (!thinkingText.isEmpty() || !answer.isEmpty()) {
        textChunks++;
      }
      if (!answer.isEmpty() && answerNs == 0) {
        answerNs = ns[i];
      }
      text.append(thinkingText).append(answer);
    }
    for (int i = chunks - 1; i >= 0 && completion < 0; i--) { // no final usage: the last chunk's own
      completion = chunkUsage[i];
    }
    int[] each = perChunk(chunkUsage, chunks);
    if (cancelled) {
      long end = chunks > 0 ? chunkNs[chunks - 1] : endNs;
      return new RequestRecord(id, profile, level, concurrency, requestedInput, requestedOutput, startNs, end,
          startEpochMs, Arrays.copyOf(chunkNs, chunks), prompt, completion, text.toString(), false,
          "cancelled by the client after " + chunks + " chunks", dueNs, readyNs, turn, session, 0, 0, 0, -1, null,
          each, null, true, null, null, toolCallNs);
    }
    if (error != null) {
      error = FailureKinds.inBand(chunks, error);
    } else if (knownError != null) {
      error = knownError.equals(FailureKinds.CLOSED) ? FailureKinds.closed(chunks) : knownError;
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
        error == null, error, dueNs, readyNs, turn, session, reasoningChunks > 0 ? answerNs : 0, reasoningEndNs,
        reasoningChunks, reasoningChunks == 0 ? -1 : exactReasoning(reasoningTokens, each, lastReasoningChunk,
            textChunks == completion, reasoningChunks),
        reasoningChunks > 0 ? thought.toString() : null, each, null, false, null, null, toolCallNs);
  }

  /**
   * The thinking tokens, exactly, when the stream tells them: the usage's count; else the tokens of
   * the chunks up to the last one of thinking (usage on every chunk); else, when every chunk held one
   * token, the chunks of thinking. -1 when only the thinking text is left to count them by.
   */
  private static int exactReasoning(int fromUsage, int[] each, int lastReasoningChunk, boolean oneTokenPerChunk,
      int reasoningChunks) {
    if (fromUsage >= 0) {
      return fromUsage;
    }
    if (each != null) {
      int sum = 0;
      for (int i = 0; i <= lastReasoningChunk; i++) {
        sum += each[i];
      }
      return sum;
    }
    return oneTokenPerChunk ? reasoningChunks : -1;
  }

  /**
   * Each chunk's tokens from the running counts that usage on every chunk gave (a chunk without one,
   * e.g. llama.cpp's finish chunk, held none); null unless every chunk with text said.
   */
  private static int[] perChunk(int[] soFar, int chunks) {
    int[] each = new int[chunks];
    int before = 0;
    boolean any = false;
    for (int i = 0; i < chunks; i++) {
      if (soFar[i] < 0) {
        return null;
      }
      each[i] = soFar[i] - before;
      before = soFar[i];
      any |= each[i] > 0;
    }
    return any ? each : null;
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
    int at = e.startsWith("{\"data\":") ? 8 : 0; // Gatling's view wraps the payload
    return e.startsWith("{\"error\"", at) || e.startsWith("{\"object\":\"error\"", at)
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
