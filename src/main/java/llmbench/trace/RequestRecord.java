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
    String error) {

  public boolean warmup() {
    return "warmup".equals(level);
  }
}
