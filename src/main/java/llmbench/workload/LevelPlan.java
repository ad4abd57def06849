package llmbench.workload;

import java.util.List;
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
  private volatile long cpuNsAtStart = -1;
  private volatile long clientCpuNs = -1;

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
    cpuNsAtStart = processCpuNs();
  }

  /** Drops the bodies once the level is over, and notes the CPU this JVM spent while it ran. */
  public void release() {
    bodies = null;
    if (cpuNsAtStart >= 0 && clientCpuNs < 0) {
      clientCpuNs = processCpuNs() - cpuNsAtStart;
    }
  }

  /** CPU time of the client JVM while the level ran (all threads), -1 if unknown. */
  public long clientCpuNs() {
    return clientCpuNs;
  }

  private static long processCpuNs() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
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
