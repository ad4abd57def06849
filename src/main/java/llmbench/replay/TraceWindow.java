package llmbench.replay;

/**
 * The slice of a trace a run replays: entries that arrived from {@code startS} up to {@code endS}
 * (seconds after the trace's first entry), at most {@code maxEntries} of them; the first kept entry
 * is sent at once, the others at their distance from it.
 *
 * @param endS null for the trace's end
 * @param maxEntries null for all in the window
 */
public record TraceWindow(double startS, Double endS, Integer maxEntries) {
  public static final TraceWindow ALL = new TraceWindow(0, null, null);

  public TraceWindow {
    if (!(startS >= 0) || Double.isInfinite(startS)) {
      throw new IllegalArgumentException("--trace-start must be a number of seconds >= 0, not " + startS);
    }
    if (endS != null && !(endS > startS)) {
      throw new IllegalArgumentException("--trace-end must be after --trace-start (" + startS + " s), not " + endS);
    }
    if (maxEntries != null && maxEntries < 1) {
      throw new IllegalArgumentException("--num-prompts must be >= 1, not " + maxEntries);
    }
  }

  boolean before(double arrivalS) {
    return arrivalS < startS;
  }

  boolean after(double arrivalS) {
    return endS != null && arrivalS >= endS;
  }

  boolean full(int kept) {
    return maxEntries != null && kept >= maxEntries;
  }
}
