package llmbench.workload;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trace's own arrival times, scaled by {@code speedup} (2 = twice as fast): request {@code i} is due
 * at its entry's arrival (seconds after the replayed slice's first entry) divided by the speed-up.
 *
 * @param arrivalsS each entry's arrival, in order
 * @param keys what the results say of the trace (its name, window, skipped rows)
 */
public record Replay(String trace, double speedup, double[] arrivalsS, Integer maxConcurrency, Map<String, Object> keys)
    implements Schedule {

  public Replay {
    if (!(speedup > 0) || Double.isInfinite(speedup)) {
      throw new IllegalArgumentException("--trace-speedup must be a number > 0, not " + speedup);
    }
    if (maxConcurrency != null && maxConcurrency < 1) {
      throw new IllegalArgumentException("--max-concurrency must be >= 1, not " + maxConcurrency);
    }
  }

  @Override
  public long[] offsetsNs(int n, long seed) {
    if (n != arrivalsS.length) {
      throw new IllegalArgumentException("the trace has " + arrivalsS.length + " entries, not " + n);
    }
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = Math.round(arrivalsS[i] / speedup * 1e9);
    }
    return out;
  }

  @Override
  public String label() {
    return "x" + Ramp.text(speedup);
  }

  @Override
  public String describe() {
    return trace + " at " + Ramp.text(speedup) + "x" + (maxConcurrency == null ? "" : ", max concurrency " + maxConcurrency);
  }

  @Override
  public double requestRate() {
    return Double.POSITIVE_INFINITY; // the trace's own times, not a rate
  }

  @Override
  public double burstiness() {
    return 1.0;
  }

  @Override
  public String pattern() {
    return "trace";
  }

  @Override
  public Map<String, Object> resultKeys() {
    Map<String, Object> m = new LinkedHashMap<>(keys);
    m.put("trace_speedup", speedup);
    m.put("trace_span_s", arrivalsS.length == 0 ? 0 : arrivalsS[arrivalsS.length - 1] / speedup);
    return m;
  }
}
