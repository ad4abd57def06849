package llmbench.workload;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One concurrency level, ready to run: every request body built and serialized in advance.
 *
 * @param label the level's name in reports and token records, e.g. {@code c032}
 */
public record LevelPlan(String label, int concurrency, int inputLen, int outputLen, List<byte[]> bodies,
    AtomicInteger cursor) {

  public LevelPlan(String label, int concurrency, int inputLen, int outputLen, List<byte[]> bodies) {
    this(label, concurrency, inputLen, outputLen, List.copyOf(bodies), new AtomicInteger());
  }

  public static String label(int concurrency) {
    return String.format("c%03d", concurrency);
  }

  public int numPrompts() {
    return bodies.size();
  }

  /** Requests per virtual user: the level keeps exactly {@code concurrency} requests in flight. */
  public int rounds() {
    return bodies.size() / concurrency;
  }

  /** The next unused body; each is sent once. */
  public byte[] next() {
    return bodies.get(cursor.getAndIncrement() % bodies.size());
  }
}
