package llmbench.gatling.llm;

/**
 * What the console's live line and the client's self-check learn from the streams as they run, on
 * their event loops: it must be cheap (a counter, no lock).
 */
public interface StreamWatch {
  StreamWatch NONE = new StreamWatch() {};

  /** +1: a request went out and waits for its response headers; -1: they came, or the wait ended. */
  default void waiting(int delta) {}

  /**
   * The request is being written after its connection opened, in a later task than the one that
   * stamped its start: a stall of the loop in between is in its TTFT.
   */
  default void sentAfterConnect() {}

  /**
   * The request was written in the task that stamped its start, {@code ns} after the stamp: the
   * thread taken off its core in between (measured: 28 and 43 ms on llama.cpp's shared cores) makes
   * the TTFT that long too.
   */
  default void sendDelay(long ns) {}

  /** One chunk with choices arrived; {@code first}: its stream's first. */
  default void chunk(boolean first) {}
}
