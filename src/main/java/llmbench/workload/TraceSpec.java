package llmbench.workload;

import java.util.List;
import llmbench.replay.TraceWindow;

/**
 * How a trace is replayed: the slice of it, the tokens per hash id, and the speed-ups (one level each).
 *
 * @param blockSize tokens per hash id; null for the format's own (Mooncake 512, vLLM's timed_trace 16)
 */
public record TraceSpec(TraceWindow window, Integer blockSize, List<Double> speedups) {
  public static final TraceSpec NONE = new TraceSpec(TraceWindow.ALL, null, List.of(1.0));

  public TraceSpec {
    if (blockSize != null && blockSize < 1) {
      throw new IllegalArgumentException("--trace-block-size must be >= 1, not " + blockSize);
    }
    if (speedups.isEmpty() || speedups.stream().anyMatch(x -> !(x > 0) || Double.isInfinite(x))) {
      throw new IllegalArgumentException("--trace-speedup must be numbers > 0, not " + speedups);
    }
    if (speedups.stream().distinct().count() != speedups.size()) {
      throw new IllegalArgumentException("--trace-speedup lists a speed-up twice: " + speedups);
    }
    speedups = List.copyOf(speedups);
  }
}
