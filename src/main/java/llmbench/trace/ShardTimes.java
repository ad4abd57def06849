package llmbench.trace;

import java.util.List;

/**
 * A shard's clock and its meetings with the other shards, kept beside its records so that a merge
 * can put every shard's {@link System#nanoTime()} stamps on one timeline. A shard's wall time is
 * {@code anchorEpochNs + (nanoTime - anchorNanoTime)}: one reading of the system clock, then its own
 * monotonic clock, so that the offsets measured at the barriers hold for all its stamps.
 *
 * @param sweepId shard 0's name for the sweep, told at the first barrier (null before, or alone)
 * @param meetings each barrier: the offset of shard 0's wall clock over this shard's, measured then
 */
public record ShardTimes(int index, int count, long seed, String sweepId, long anchorEpochNs, long anchorNanoTime,
    List<Meeting> meetings) {

  /**
   * One barrier as this shard saw it.
   *
   * @param offsetNs shard 0's wall clock minus this shard's (0 on shard 0), from the exchange with the
   *     shortest round trip
   * @param rttNs that exchange's round trip
   * @param waitedMs how long this shard waited there
   * @param arrived the shards that were there when it opened
   * @param problem why the level started without every shard, or null
   */
  public record Meeting(String name, long offsetNs, long rttNs, long waitedMs, List<Integer> arrived, String problem) {}

  /**
   * The offset of shard 0's clock over this one for the whole run: the one measured with the shortest
   * round trip (NTP's choice: a long round trip is an asymmetric one, e.g. a cold JIT at the first).
   */
  public long offsetNs() {
    return meetings.stream().filter(m -> m.rttNs() >= 0).min(java.util.Comparator.comparingLong(Meeting::rttNs))
        .map(Meeting::offsetNs).orElse(0L);
  }

  /** The round trip of the exchange {@link #offsetNs} comes from: the offset is right within half of it. */
  public long offsetRttNs() {
    return meetings.stream().filter(m -> m.rttNs() >= 0).mapToLong(Meeting::rttNs).min().orElse(-1);
  }

  /** A {@code nanoTime} stamp of this shard on shard 0's wall clock, in ns since the epoch. */
  public long toReferenceEpochNs(long nanoTime) {
    return anchorEpochNs + (nanoTime - anchorNanoTime) + offsetNs();
  }
}
