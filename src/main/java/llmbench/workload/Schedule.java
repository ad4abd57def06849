package llmbench.workload;

import java.util.Map;

/**
 * When an open-model level's requests are due: vLLM's arrivals at a rate ({@link Arrivals}), a ramp
 * of rates ({@link Ramp}) or a trace's own times ({@link Replay}). A request due while
 * {@link #maxConcurrency} are in flight waits for one to end, as vLLM's semaphore makes it.
 */
public interface Schedule {
  /** The level's label: {@code r4}, {@code ramp-linear-1-20}, {@code x2}. */
  String label();

  /** In words, for the console and Gatling's groups. */
  String describe();

  /** The cap on requests in flight; null when uncapped. */
  Integer maxConcurrency();

  /** When each of {@code n} requests is due, in ns after the level's start, in order; seeded. */
  long[] offsetsNs(int n, long seed);

  /** vLLM's {@code request_rate} result field: the rate asked, or inf where none is (a ramp, a trace). */
  double requestRate();

  /** vLLM's {@code burstiness} result field. */
  double burstiness();

  /** {@code rate}, {@code ramp} or {@code trace}: the result key {@code arrival_pattern}. */
  default String pattern() {
    return "rate";
  }

  /** What the results say of the schedule beyond vLLM's rate fields (a ramp's ends, a trace's speed-up). */
  default Map<String, Object> resultKeys() {
    return Map.of();
  }
}
