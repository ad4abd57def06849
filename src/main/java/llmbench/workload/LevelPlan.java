package llmbench.workload;

import java.util.List;
import llmbench.diagnosis.ClientDiagnosis;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * One concurrency level: its shape, and its request bodies, built by {@link #prepare} before the
 * level starts (never while timing) and dropped by {@link #release} after it, so that only one
 * level's bodies (images can be megabytes each) are in memory at a time.
 */
public final class LevelPlan {
  private final String label;
  private final int concurrency;
  private final int inputLen;
  private final int outputLen;
  private final int numPrompts;
  private final IntFunction<byte[]> bodyFactory;
  private final AtomicInteger cursor = new AtomicInteger();
  private volatile List<byte[]> bodies;
  private volatile long buildMs = -1;
  private volatile long builtAtEpochMs;
  private ClientDiagnosis.Start diagnosisStart;
  private volatile ClientDiagnosis.Level diagnosis;

  public LevelPlan(String label, int concurrency, int inputLen, int outputLen, int numPrompts,
      IntFunction<byte[]> bodyFactory) {
    this.label = label;
    this.concurrency = concurrency;
    this.inputLen = inputLen;
    this.outputLen = outputLen;
    this.numPrompts = numPrompts;
    this.bodyFactory = bodyFactory;
  }

  public static String label(int concurrency) {
    return String.format("c%03d", concurrency);
  }

  /** Builds every body of the level (prompts, images, JSON). Idempotent. */
  public synchronized void prepare() {
    if (bodies != null) {
      return;
    }
    long t0 = System.nanoTime();
    // in parallel: bodies are independent and each is seeded by its index (same result in any order)
    bodies = java.util.stream.IntStream.range(0, numPrompts).parallel().mapToObj(bodyFactory)
        .collect(java.util.stream.Collectors.toList());
    buildMs = (System.nanoTime() - t0) / 1_000_000;
    builtAtEpochMs = System.currentTimeMillis();
  }

  /** Drops the bodies once the level is over. */
  public void release() {
    bodies = null;
  }

  /** Starts the client's self-check, just before the level's first request (the first caller wins). */
  public synchronized boolean beginDiagnosis(ClientDiagnosis d) {
    if (diagnosisStart == null) {
      diagnosisStart = d.begin();
      return true;
    }
    return false;
  }

  /** Ends it once the level's last response is in (the first caller wins). */
  public synchronized boolean endDiagnosis(ClientDiagnosis d) {
    if (diagnosisStart != null && diagnosis == null) {
      diagnosis = d.end(diagnosisStart);
      return true;
    }
    return false;
  }

  /** What the client's self-check saw inside the level; null before it ended. */
  public ClientDiagnosis.Level diagnosis() {
    return diagnosis;
  }

  /** The next unused body; each is sent once. */
  public byte[] next() {
    List<byte[]> b = bodies;
    if (b == null) {
      throw new IllegalStateException("level " + label + " was not prepared before it started");
    }
    return b.get(cursor.getAndIncrement() % numPrompts);
  }

  public String label() {
    return label;
  }

  public int concurrency() {
    return concurrency;
  }

  public int inputLen() {
    return inputLen;
  }

  public int outputLen() {
    return outputLen;
  }

  public int numPrompts() {
    return numPrompts;
  }

  /** Requests per virtual user: the level keeps exactly {@code concurrency} requests in flight. */
  public int rounds() {
    return numPrompts / concurrency;
  }

  /** How long building the bodies took, -1 before {@link #prepare}. */
  public long buildMs() {
    return buildMs;
  }

  public long builtAtEpochMs() {
    return builtAtEpochMs;
  }
}
