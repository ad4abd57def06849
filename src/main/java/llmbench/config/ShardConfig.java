package llmbench.config;

import java.nio.file.Path;
import java.time.Duration;
import llmbench.workload.Shard;

/**
 * One injector of many: which shard this process is, where shard 0 holds the level barrier
 * ({@code host:port}; shard 0 listens on the port), and how long a barrier waits for the shards
 * that have not arrived before the level starts without them. {@code mergeInto}: where shard 0 merges
 * every shard's results once they are written (the shards share a volume), or null.
 */
public record ShardConfig(Shard shard, String coordinatorHost, int coordinatorPort, Duration barrierTimeout,
    Path mergeInto) {
  public static final ShardConfig NONE = new ShardConfig(Shard.WHOLE, null, 0, Duration.ofSeconds(300), null);

  public ShardConfig {
    if (!shard.whole() && (coordinatorHost == null || coordinatorPort < 1 || coordinatorPort > 65535)) {
      throw new IllegalArgumentException("--shard needs --coordinator HOST:PORT (shard 0's address; it listens on the port)");
    }
    if (barrierTimeout.isNegative() || barrierTimeout.isZero()) {
      throw new IllegalArgumentException("--barrier-timeout must be >= 1 second");
    }
  }

  /** {@code host:port} as {@code --coordinator} takes it. */
  static ShardConfig of(Shard shard, String coordinator, int barrierTimeoutSeconds, Path mergeInto) {
    if (barrierTimeoutSeconds < 1) {
      throw new IllegalArgumentException("--barrier-timeout must be >= 1 second, not " + barrierTimeoutSeconds);
    }
    if (coordinator == null) {
      return new ShardConfig(shard, null, 0, Duration.ofSeconds(barrierTimeoutSeconds), mergeInto);
    }
    int colon = coordinator.lastIndexOf(':');
    try {
      if (colon > 0) {
        return new ShardConfig(shard, coordinator.substring(0, colon), Integer.parseInt(coordinator.substring(colon + 1)),
            Duration.ofSeconds(barrierTimeoutSeconds), mergeInto);
      }
    } catch (NumberFormatException e) {
      // the message below says what to write
    }
    throw new IllegalArgumentException("--coordinator must be HOST:PORT (e.g. bench-0.bench:7070), not '" + coordinator + "'");
  }
}
