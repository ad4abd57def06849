package llmbench.trace;

/**
 * One request as the client saw it, the unit of the per-run token-timing file (JSONL, one line each).
 * Times are {@link System#nanoTime()} values of the client JVM; {@code chunkNs} holds the arrival of
 * every SSE event that carried choices (what vLLM's client times), in order.
 *
 * @param level the level's label, e.g. {@code c32}; {@code warmup} for warm-up requests
 * @param promptTokens {@code usage.prompt_tokens} of the last usage seen, -1 if none
 * @param completionTokens {@code usage.completion_tokens} of the last usage seen, -1 if none
 * @param error null when the request succeeded
 * @param dueNs open model: when the schedule had the request due; 0 in a closed-model level
 * @param readyNs open model: when it could go, the later of due and a user being free (the cap); 0 closed
 * @param turn a chat session's turn, from 1; 0 for a request on its own
 * @param session the chat session it belongs to (unique in the run); 0 for a request on its own
 */
public record RequestRecord(
    String id,
    String profile,
    String level,
    int concurrency,
    int requestedInput,
    int requestedOutput,
    long startNs,
    long endNs,
    long startEpochMs,
    long[] chunkNs,
    int promptTokens,
    int completionTokens,
    String generatedText,
    boolean success,
    String error,
    long dueNs,
    long readyNs,
    int turn,
    long session) {

  /** A closed-model request (no schedule). */
  public RequestRecord(String id, String profile, String level, int concurrency, int requestedInput,
      int requestedOutput, long startNs, long endNs, long startEpochMs, long[] chunkNs, int promptTokens,
      int completionTokens, String generatedText, boolean success, String error) {
    this(id, profile, level, concurrency, requestedInput, requestedOutput, startNs, endNs, startEpochMs, chunkNs,
        promptTokens, completionTokens, generatedText, success, error, 0, 0, 0, 0);
  }

  /** The same request, now failed with {@code why}. */
  public RequestRecord failedWith(String why) {
    return new RequestRecord(id, profile, level, concurrency, requestedInput, requestedOutput, startNs, endNs,
        startEpochMs, chunkNs, promptTokens, completionTokens, generatedText, false, why, dueNs, readyNs, turn, session);
  }

  /** Open model: how late the client sent it after it could go (ns); 0 in a closed-model level. */
  public long scheduleLagNs() {
    return dueNs == 0 ? 0 : startNs - readyNs;
  }

  public boolean warmup() {
    return "warmup".equals(level);
  }
}
