package llmbench.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A ramp's or a trace's level, cut into windows of time: per window, the rate the schedule asked
 * (requests due in it), the rate the client achieved (requests sent in it), and the TTFT of the
 * requests sent in it (vLLM's TTFT, {@link VllmMetrics}), so that where the server starts to queue shows
 * in one run. A window holds about an equal share of the requests due (at most {@link #MAX_WINDOWS}
 * windows, about {@link #MIN_REQUESTS} requests each or more), and its edges lie halfway across the widest
 * gap between two requests due near that share, so that a request sent on time never counts in its
 * neighbour's window: only a client late by half a gap moves one.
 */
public final class LoadWindows {
  public static final int MAX_WINDOWS = 10;
  public static final int MIN_REQUESTS = 10;

  /**
   * One window.
   *
   * @param startS from the level's first start
   * @param medianTtftMs null when no request sent in it succeeded
   */
  public record Window(double startS, double endS, double scheduledRps, double achievedRps, int requests, int failed,
      Double medianTtftMs, Double p99TtftMs) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("start_s", startS);
      m.put("end_s", endS);
      m.put("scheduled_rps", scheduledRps);
      m.put("achieved_rps", achievedRps);
      m.put("requests", requests);
      m.put("failed", failed);
      m.put("median_ttft_ms", medianTtftMs);
      m.put("p99_ttft_ms", p99TtftMs);
      return m;
    }
  }

  private LoadWindows() {}

  /**
   * @param dueS when each request was due, seconds from the level's first start (any order)
   * @param startS when each was sent, seconds from the level's first start, in the order of {@code ttftS}
   * @param ttftS each request's TTFT in seconds; {@code ok[i]} false for a failed one
   */
  public static List<Window> of(double[] dueS, double[] startS, double[] ttftS, boolean[] ok) {
    double[] due = dueS.clone();
    Arrays.sort(due);
    int n = due.length;
    List<Window> out = new ArrayList<>();
    if (n < 2 || due[n - 1] <= due[0]) {
      return out;
    }
    int count = Math.max(1, Math.min(MAX_WINDOWS, n / MIN_REQUESTS));
    List<Integer> firsts = new ArrayList<>(); // each window's first request, by due order
    firsts.add(0);
    int slack = Math.max(1, n / count / 5);
    for (int w = 1; w < count; w++) {
      // the edge goes in the widest gap near an equal share: arrivals come close together (Poisson), and
      // an edge between two requests 1 ms apart would count a request sent 0.5 ms late in the next window
      int target = (int) Math.round(w * n / (double) count);
      int best = -1;
      for (int i = Math.max(firsts.get(firsts.size() - 1) + 1, target - slack); i <= Math.min(n - 1, target + slack); i++) {
        if (best < 0 || due[i] - due[i - 1] > due[best] - due[best - 1]) {
          best = i;
        }
      }
      if (best > 0 && due[best] > due[best - 1]) {
        firsts.add(best);
      }
    }
    firsts.add(n);
    for (int w = 0; w + 1 < firsts.size(); w++) {
      int a = firsts.get(w);
      int b = firsts.get(w + 1);
      double from = a == 0 ? Math.min(due[0], 0) : (due[a - 1] + due[a]) / 2;
      double to = b == n ? due[n - 1] + (due[n - 1] - due[n - 2]) / 2 : (due[b - 1] + due[b]) / 2;
      List<Double> ttfts = new ArrayList<>();
      int sent = 0;
      int failed = 0;
      for (int i = 0; i < startS.length; i++) {
        // the first window takes every start before its edge, the last every start after it
        if ((a == 0 || startS[i] >= from) && (b == n || startS[i] < to)) {
          sent++;
          if (ok[i]) {
            ttfts.add(ttftS[i] * 1000);
          } else {
            failed++;
          }
        }
      }
      double width = to - from;
      Distribution d = new Distribution(ttfts.stream().mapToDouble(Double::doubleValue).toArray());
      out.add(new Window(from, to, (b - a) / width, sent / width, sent, failed,
          ttfts.isEmpty() ? null : d.median(), ttfts.isEmpty() ? null : d.percentile(99)));
    }
    return out;
  }

  /** The console's table: one line a window. */
  public static List<String> consoleLines(List<Window> windows) {
    List<String> lines = new ArrayList<>();
    lines.add("load by window:   from s    to s  asked/s  sent/s  TTFT p50 ms  TTFT p99 ms");
    for (Window w : windows) {
      lines.add(String.format(Locale.ROOT, "                %7.1f %7.1f %8.2f %7.2f %12s %12s", w.startS(), w.endS(),
          w.scheduledRps(), w.achievedRps(), ms(w.medianTtftMs()), ms(w.p99TtftMs())));
    }
    return lines;
  }

  private static String ms(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }
}
