package llmbench.mock;

import java.util.SplittableRandom;

/** One request inside the simulated engine. Mutated only by the scheduler thread, except {@link #cancel}. */
final class Sequence {
  /** Receives the tokens the engine samples for this request. */
  interface Output {
    /**
     * Called on the scheduler thread before the step ends, so that the chunk is ready to go: the
     * {@code count} tokens from {@code firstIndex} that the step sampled (more than one under
     * speculative decoding), in one chunk. The returned delivery runs when the step ends
     * ({@code dueNs}) and must only hand bytes to the socket.
     */
    Delivery prepareChunk(int firstIndex, int count, String finishReason, long dueNs);
  }

  /** What to run when the step ends, and on which thread (the connection's event loop). */
  record Delivery(java.util.concurrent.Executor where, Runnable what) {}

  final String id;
  final int promptLen;
  final int maxTokens;
  final int minTokens;
  final boolean ignoreEos;
  /** Chat requests of a reasoning model: the first this many output tokens are thinking. */
  int reasoningTokens;
  /** Speculative steps of this request, and the draft tokens accepted in them. */
  int specDrafts;
  int specAccepted;
  final long arrivalNs;
  final SplittableRandom random;
  final Output output;

  /** The prompt's full blocks for the prefix cache (none when it is off, or the prompt has images). */
  long[] blockHashes = new long[0];
  int computed;
  /** True once the prefix cache was asked for this admission (again after a preemption). */
  boolean lookedUp;
  int generated;
  int blocks;
  int preemptions;
  /** When it was first scheduled, and when its last token was sampled (nanoTime; 0 before). */
  long scheduledNs;
  long lastTokenNs;
  boolean finished;
  private volatile boolean cancelled;

  Sequence(String id, int promptLen, int maxTokens, int minTokens, boolean ignoreEos, long arrivalNs,
      long seed, Output output) {
    this.id = id;
    this.promptLen = promptLen;
    this.maxTokens = maxTokens;
    this.minTokens = minTokens;
    this.ignoreEos = ignoreEos;
    this.arrivalNs = arrivalNs;
    this.random = new SplittableRandom(seed);
    this.output = output;
  }

  /** Tokens still to compute before the next token can be sampled (1 when decoding). */
  int pendingTokens() {
    return promptLen + generated - computed;
  }

  boolean prefilling() {
    return pendingTokens() > 1 || generated == 0;
  }

  void cancel() {
    cancelled = true;
  }

  boolean cancelled() {
    return cancelled;
  }
}
