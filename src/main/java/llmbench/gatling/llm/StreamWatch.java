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
   * The request was flushed, {@code sinceStartNs} after its start stamp: in the same task (the thread
   * taken off its core in between, measured 28 and 43 ms on llama.cpp's shared cores, makes the TTFT
   * that long too), or {@code afterConnect}, in a later one (a stall of the loop in between is in it).
   */
  default void sent(long sinceStartNs, boolean afterConnect) {}

  /** One chunk with choices arrived; {@code first}: its stream's first. */
  default void chunk(boolean first) {}
}
