package llmbench.gatling.llm;

/**
 * What the console's live line and the client's self-check learn from the streams as they run, on
 * their event loops: it must be cheap (a counter, no lock).
 */
public interface StreamWatch {
  StreamWatch NONE = new StreamWatch() {};

  /** +1: a request went out and waits for its response headers; -1: they came, or the wait ended. */
  default void waiting(int delta) {}

  /** The request is being written, on its connection's loop (its start was stamped before). */
  default void sent() {}

  /** One chunk with choices arrived; {@code first}: its stream's first. */
  default void chunk(boolean first) {}
}
