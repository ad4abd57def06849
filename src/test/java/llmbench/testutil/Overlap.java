package llmbench.testutil;

import java.util.List;
import java.util.stream.Stream;

/** How many spans ({start, end} on one clock) were open at once, at most: a test's own count of concurrency. */
public final class Overlap {
  private Overlap() {}

  public static int mostAtOnce(List<long[]> spans) {
    // ends before starts at the same instant: the spans are half-open
    long[][] events = spans.stream().flatMap(s -> Stream.of(new long[] {s[0], 1}, new long[] {s[1], -1}))
        .sorted((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1])).toArray(long[][]::new);
    int now = 0;
    int most = 0;
    for (long[] e : events) {
      now += (int) e[1];
      most = Math.max(most, now);
    }
    return most;
  }
}
