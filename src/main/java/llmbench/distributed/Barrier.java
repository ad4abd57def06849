package llmbench.distributed;

import java.time.Instant;
import java.util.List;
import llmbench.config.ShardConfig;
import llmbench.trace.ShardTimes;

/**
 * Where the shards of one sweep meet before each level, so that its requests start together: shard 0
 * holds it ({@link Coordinator}), the others reach it over HTTP ({@link Participant}). Each arrival
 * returns when this JVM starts the level, on its own {@link System#nanoTime()} clock.
 */
public abstract class Barrier implements AutoCloseable {
  /** One machine: nobody to wait for. */
  public static final Barrier NONE = new Barrier(0, 1, 0) {
    @Override
    public long arrive(String name, String note) {
      return 0;
    }
  };

  final int index;
  final int count;
  final long seed;
  /** This shard's wall clock: one reading of the system clock, then the monotonic one (see {@link ShardTimes}). */
  final long anchorEpochNs;
  final long anchorNanoTime;
  final List<ShardTimes.Meeting> meetings = new java.util.concurrent.CopyOnWriteArrayList<>();
  volatile String sweepId;

  Barrier(int index, int count, long seed) {
    this.index = index;
    this.count = count;
    this.seed = seed;
    Instant now = Instant.now();
    this.anchorNanoTime = System.nanoTime();
    this.anchorEpochNs = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Shard 0 listens; the others find it. {@link #NONE} for one machine. */
  public static Barrier open(ShardConfig c, long seed) {
    if (c.shard().whole()) {
      return NONE;
    }
    return c.shard().first() ? Coordinator.start(c, seed) : new Participant(c, seed);
  }

  /**
   * Waits until every shard still in the sweep has arrived at {@code name} (at most the barrier
   * timeout) and returns the {@code nanoTime} at which this shard starts; 0 to start at once.
   */
  public long arrive(String name) {
    return arrive(name, null);
  }

  /** The same, telling shard 0 {@code note} (a shard's results folder at the sweep's end); null for none. */
  public abstract long arrive(String name, String note);

  /** What shard 0 told every shard at {@code name} (the server's facts at the sweep's start), or null. */
  public String told(String name) {
    return null;
  }

  /** What the shards told shard 0 at {@code name}, by shard (shard 0's own included); empty elsewhere. */
  public java.util.Map<Integer, String> notes(String name) {
    return java.util.Map.of();
  }

  /** This shard's clock and meetings so far; null for one machine. */
  public ShardTimes times() {
    return count == 1 ? null : new ShardTimes(index, count, seed, sweepId, anchorEpochNs, anchorNanoTime, List.copyOf(meetings));
  }

  /** This shard's wall clock now, in ns since the epoch. */
  long wallNs() {
    return anchorEpochNs + (System.nanoTime() - anchorNanoTime);
  }

  /** The {@code nanoTime} of this JVM when its wall clock reads {@code wallNs}. */
  long nanoAt(long wallNs) {
    return anchorNanoTime + (wallNs - anchorEpochNs);
  }

  @Override
  public void close() {}
}
