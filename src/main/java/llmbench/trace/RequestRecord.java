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
 * @param answerNs a reasoning model's: when the first chunk of the answer (not thinking) arrived; 0 when
 *     the stream held no thinking or no answer
 * @param reasoningEndNs when the last chunk of thinking arrived; 0 for none
 * @param reasoningChunks the chunks that held thinking
 * @param reasoningTokens the thinking tokens the usage gave; -1 when it gave none
 * @param reasoningText the thinking text (also at the start of {@code generatedText}, as vLLM keeps it)
 * @param chunkTokens the tokens each chunk of {@code chunkNs} held, from usage on every chunk; null
 *     when the server sent none
 * @param model the model (or LoRA adapter) the request asked for; null when not known
 * @param cancelled the client closed the stream early on purpose ({@code --cancel-rate}): neither a success
 *     nor a failure, counted apart and left out of the latency statistics
 * @param valid whether the answer is what the request asked it to be (a schema, a regex, a choice, a tool
 *     call's parameters); null when it asked nothing or failed
 * @param invalidWhy why it is not, null when valid or not checked
 * @param toolCallNs when the first chunk of a tool call arrived; 0 for none
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
    long session,
    long answerNs,
    long reasoningEndNs,
    int reasoningChunks,
    int reasoningTokens,
    String reasoningText,
    int[] chunkTokens,
    String model,
    boolean cancelled,
    Boolean valid,
    String invalidWhy,
    long toolCallNs) {

  /** A closed-model request (no schedule). */
  public RequestRecord(String id, String profile, String level, int concurrency, int requestedInput,
      int requestedOutput, long startNs, long endNs, long startEpochMs, long[] chunkNs, int promptTokens,
      int completionTokens, String generatedText, boolean success, String error) {
    this(id, profile, level, concurrency, requestedInput, requestedOutput, startNs, endNs, startEpochMs, chunkNs,
        promptTokens, completionTokens, generatedText, success, error, 0, 0, 0, 0, 0, 0, 0, -1, null, null, null, false,
        null, null, 0);
  }

  /** The same request, with the model it asked for and the verdict on its answer (null: not checked). */
  public RequestRecord asked(String askedModel, Boolean isValid, String why) {
    return new RequestRecord(id, profile, level, concurrency, requestedInput, requestedOutput, startNs, endNs,
        startEpochMs, chunkNs, promptTokens, completionTokens, generatedText, success, error, dueNs, readyNs, turn, session,
        answerNs, reasoningEndNs, reasoningChunks, reasoningTokens, reasoningText, chunkTokens, askedModel, cancelled,
        isValid, why, toolCallNs);
  }

  /** True when the stream held thinking (a reasoning model). */
  public boolean reasoned() {
    return reasoningChunks > 0;
  }

  /** The same request, now failed with {@code why}. */
  public RequestRecord failedWith(String why) {
    return new RequestRecord(id, profile, level, concurrency, requestedInput, requestedOutput, startNs, endNs,
        startEpochMs, chunkNs, promptTokens, completionTokens, generatedText, false, why, dueNs, readyNs, turn, session,
        answerNs, reasoningEndNs, reasoningChunks, reasoningTokens, reasoningText, chunkTokens, model, false, null, null,
        toolCallNs);
  }

  /**
   * The same request on another clock: every {@code nanoTime} stamp moved by {@code deltaNs}, the
   * wall-clock start by {@code deltaEpochMs} (a shard's records on the merge's timeline), counted in
   * a level of {@code concurrency} users. Durations are differences of stamps: unchanged.
   */
  public RequestRecord onClock(long deltaNs, long deltaEpochMs, int concurrency) {
    long[] chunks = chunkNs == null ? null : new long[chunkNs.length];
    for (int i = 0; chunks != null && i < chunks.length; i++) {
      chunks[i] = chunkNs[i] + deltaNs;
    }
    return new RequestRecord(id, profile, level, concurrency, requestedInput, requestedOutput, startNs + deltaNs,
        endNs + deltaNs, startEpochMs + deltaEpochMs, chunks, promptTokens, completionTokens, generatedText, success,
        error, dueNs == 0 ? 0 : dueNs + deltaNs, readyNs == 0 ? 0 : readyNs + deltaNs, turn, session,
        answerNs == 0 ? 0 : answerNs + deltaNs, reasoningEndNs == 0 ? 0 : reasoningEndNs + deltaNs, reasoningChunks,
        reasoningTokens, reasoningText, chunkTokens, model, cancelled, valid, invalidWhy,
        toolCallNs == 0 ? 0 : toolCallNs + deltaNs);
  }

  /** Open model: how late the client sent it after it could go (ns); 0 in a closed-model level. */
  public long scheduleLagNs() {
    return dueNs == 0 ? 0 : startNs - readyNs;
  }

  public boolean warmup() {
    return "warmup".equals(level);
  }
}
