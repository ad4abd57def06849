package llmbench.gatling.llm;

/**
 * What the console's live line learns from the streams as they run, on their event loops: it must be
 * cheap (a counter, no lock).
 */
public interface StreamWatch {
  StreamWatch NONE = new StreamWatch() {};

  /** +1: a request went out and waits for its response headers; -1: they came, or the wait ended. */
  default void waiting(int delta) {}

  /** One chunk with choices arrived. */
  default void chunk() {}
}
