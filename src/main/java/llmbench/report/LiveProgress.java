package llmbench.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import llmbench.trace.RequestRecord;

/**
 * The console's live line while a level runs, e.g. {@code high c005  3/5 done  0 failed  612 chunks/s
 * TTFT p50 1.9 s  elapsed 14 s  ETA 6 s}: refreshed in place on a terminal, printed every few seconds
 * in a log, and once more, final, when the level's last record is in (records reach it from the
 * trace writer some 50 ms after their answers, so the next level may have started by then).
 */
public final class LiveProgress implements AutoCloseable {
  private static final long FINAL_WAIT_NS = 1_000_000_000L;

  /** One level's counts. */
  private final class Level {
    final String name;
    final String label;
    final int planned;
    final long startNs;
    int done;
    int failed;
    long tokens;
    final List<Double> ttftsS = new ArrayList<>();
    final long chunksAtStart = streamed.sum();
    long endedNs;
    boolean toldWaiting;

    final long plannedTokens;
    /** An open level's schedule, from its zero to its last request's due time (nanoTime); 0 for a closed level. */
    long scheduleZeroNs;
    long scheduleEndNs;
    /** The largest lag of a finished request from when it could go to when it went. */
    long maxLagNs;

    Level(String name, String label, int planned, long plannedTokens) {
      this.plannedTokens = plannedTokens;
      this.name = name;
      this.label = label;
      this.planned = planned;
      this.startNs = clock.getAsLong();
    }

    void add(RequestRecord r) {
      done++;
      failed += r.success() || r.cancelled() ? 0 : 1;
      tokens += r.completionTokens() >= 0 ? r.completionTokens() : r.chunkNs().length;
      if (r.success() && r.chunkNs().length > 0) {
        ttftsS.add((r.chunkNs()[0] - r.startNs()) / 1e9);
      }
      if (r.dueNs() != 0) {
        maxLagNs = Math.max(maxLagNs, r.scheduleLagNs());
      }
    }

    boolean complete(long now) {
      return endedNs > 0 && (done >= planned || now - endedNs > FINAL_WAIT_NS);
    }

    String line() {
      long now = endedNs > 0 ? endedNs : clock.getAsLong();
      double elapsed = (now - startNs) / 1e9;
      // while it runs, the chunks streamed so far (long requests finish late); once ended, the tokens
      String rate = endedNs > 0 || done >= planned
          ? String.format(Locale.ROOT, "%.0f tok/s", elapsed > 0 ? tokens / elapsed : 0.0)
          : String.format(Locale.ROOT, "%.0f chunks/s", elapsed > 0 ? (streamed.sum() - chunksAtStart) / elapsed : 0.0);
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s  %d/%d done  %d failed  %s", name,
          done, planned, failed, rate));
      if (!ttftsS.isEmpty()) {
        List<Double> sorted = new ArrayList<>(ttftsS);
        sorted.sort(null);
        double p50 = sorted.get((sorted.size() - 1) / 2);
        b.append("  TTFT p50 ").append(p50 < 1 ? String.format(Locale.ROOT, "%.0f ms", p50 * 1000) : seconds(p50));
      }
      b.append("  elapsed ").append(seconds(elapsed));
      if (scheduleEndNs > 0 && endedNs == 0) {
        // a schedule's clock (a trace's replay, a ramp): where it is of its span, and how late the client sent
        double clockS = Math.max(0, Math.min(now, scheduleEndNs) - scheduleZeroNs) / 1e9;
        b.append(String.format(Locale.ROOT, "  schedule %s of %s, lag max %.1f ms", seconds(clockS),
            seconds((scheduleEndNs - scheduleZeroNs) / 1e9), maxLagNs / 1e6));
      }
      long waitingNow = waiting.sum();
      double quiet = (now - Math.max(quietSinceNs, startNs)) / 1e9;
      if (endedNs == 0 && waitingNow > 0 && quiet >= 1) {
        // a server that accepted the requests but answers none: say what the client waits for
        b.append(String.format(Locale.ROOT, "  no chunk for %s, %d waiting for response headers", seconds(quiet),
            waitingNow));
      }
      long streamedNow = streamed.sum() - chunksAtStart;
      if (endedNs == 0 && plannedTokens > 0 && streamedNow > 0 && streamedNow < plannedTokens) {
        // the level's tokens still to come over the rate they come at (a chunk is a token but under
        // speculative decoding, where this runs late on the safe side)
        b.append("  ETA ").append(seconds(elapsed * (plannedTokens - streamedNow) / streamedNow));
      } else if (endedNs == 0 && plannedTokens == 0 && done > 0 && done < planned) {
        b.append("  ETA ").append(seconds(elapsed * (planned - done) / done));
      }
      return b.toString();
    }
  }

  private final PrintStream out;
  private final boolean inPlace;
  private final long periodNs;
  private final LongSupplier clock;
  private final Thread ticker;
  private final java.util.concurrent.atomic.LongAdder streamed = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder waiting = new java.util.concurrent.atomic.LongAdder();
  /** The chunk count at the last tick, and since when it has not moved (the line says so past 1 s). */
  private long chunksSeen = -1;
  private long quietSinceNs;
  private Level current;
  private Level finishing;
  private long lastPrintNs;
  private int lastWidth;
  private volatile boolean closed;

  /** @param inPlace rewrite one line with \r (a terminal), else one line per period (a log) */
  public LiveProgress(PrintStream out, boolean inPlace, long periodMs, LongSupplier clock) {
    this.out = out;
    this.inPlace = inPlace;
    this.periodNs = periodMs * 1_000_000L;
    this.clock = clock;
    this.ticker = new Thread(this::tick, "llmbench-progress");
    ticker.setDaemon(true);
  }

  /** For the console: in place when it is a terminal (1 s), else a line every 5 s. */
  public static LiveProgress forConsole() {
    boolean terminal = System.console() != null;
    return new LiveProgress(System.out, terminal, terminal ? 1000 : 5000, System::nanoTime).start();
  }

  public LiveProgress start() {
    ticker.start();
    return this;
  }

  /** A level starts: {@code name} as shown (profile and level), its label in the records, its prompts. */
  public synchronized void levelStarted(String name, String label, int planned) {
    levelStarted(name, label, planned, 0);
  }

  /** ... and the tokens it will stream (its ETA: those still to come over the current rate). */
  public synchronized void levelStarted(String name, String label, int planned, long plannedTokens) {
    if (finishing != null) {
      print(finishing.line(), true); // still short of records when the level after it starts: say so
    }
    finishing = current != null && current.endedNs > 0 ? current : null;
    current = new Level(name, label, planned, plannedTokens);
    lastPrintNs = current.startNs;
  }

  /**
   * The running level has a schedule (an open level): its zero and its last request's due time
   * ({@code nanoTime}), for the line's schedule clock.
   */
  public synchronized void schedule(long zeroNs, long lastDueNs) {
    if (current != null && lastDueNs > zeroNs) {
      current.scheduleZeroNs = zeroNs;
      current.scheduleEndNs = lastDueNs;
    }
  }

  /** Any event loop: one chunk with choices arrived (a LongAdder: a few ns, no lock). */
  public void chunk() {
    streamed.increment();
  }

  /** Any event loop: +1 a request waits for its response headers, -1 the wait is over. */
  public void waiting(int delta) {
    waiting.add(delta);
  }

  /** Its last answer is in; the final line follows once its records are counted (at most 1 s later). */
  public synchronized void levelEnded() {
    if (current != null) {
      current.endedNs = clock.getAsLong();
    }
  }

  /** Any thread: one finished request (of the running level, or of the one before it). */
  public synchronized void record(RequestRecord r) {
    if (r.warmup()) {
      return;
    }
    if (current != null && r.level().equals(current.label)) {
      current.add(r);
    } else if (finishing != null && r.level().equals(finishing.label)) {
      finishing.add(r);
    }
  }

  /** Its records are all in: its final line now (before its block), if not printed yet. */
  public synchronized void finalLine(String label) {
    if (finishing != null && finishing.label.equals(label)) {
      print(finishing.line(), true);
      finishing = null;
    } else if (current != null && current.label.equals(label) && current.endedNs > 0) {
      print(current.line(), true);
      current = null;
    }
  }

  /** The running level's line as it stands. */
  public synchronized String line() {
    return current == null ? "" : current.line();
  }

  /** One turn of the ticker: final lines when due, else a refresh when the period is up. */
  synchronized void tickOnce() {
    long now = clock.getAsLong();
    long chunks = streamed.sum();
    if (chunks != chunksSeen) {
      chunksSeen = chunks;
      quietSinceNs = now;
    }
    if (finishing != null && finishing.complete(now)) {
      print(finishing.line(), true);
      finishing = null;
    }
    if (current == null) {
      return;
    }
    if (current.complete(now)) {
      print(current.line(), true);
      current = null;
    } else if (current.endedNs == 0 && (now - lastPrintNs >= periodNs || mustTellWaiting(now))) {
      print(current.line(), false);
      lastPrintNs = now;
    }
  }

  /** In a log, a level whose requests wait for headers with no chunk for 2 s says so at once, once. */
  private boolean mustTellWaiting(long now) {
    if (inPlace || current.toldWaiting || waiting.sum() <= 0 || now - Math.max(quietSinceNs, current.startNs) < 2_000_000_000L) {
      return false;
    }
    current.toldWaiting = true;
    return true;
  }

  private static String seconds(double s) {
    return s < 10 ? String.format(Locale.ROOT, "%.1f s", s) : String.format(Locale.ROOT, "%.0f s", s);
  }

  private void print(String line, boolean last) {
    if (inPlace) {
      out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())) + (last ? "\n" : ""));
      lastWidth = last ? 0 : line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }

  private void tick() {
    while (!closed) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      tickOnce();
    }
  }

  /** Stops; a level still short of its records gets its line as it stands. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      ticker.interrupt();
      for (Level l : new Level[] {finishing, current}) {
        if (l != null && l.endedNs > 0) {
          print(l.line(), true);
        }
      }
      finishing = null;
      current = null;
    }
  }
}
