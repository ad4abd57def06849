package llmbench.diagnosis;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How late each event loop runs a task that was due: a probe rescheduled every {@link #PERIOD_MS} ms on
 * each loop the client's streams use, recording now − due. A loop busy with other work (or starved of
 * CPU by the JIT, the GC or the server) runs it late, and every SSE chunk it reads is stamped as late.
 * Costs one wake-up per loop per period.
 */
public final class EventLoopProbe implements AutoCloseable {
  static final long PERIOD_MS = 10;
  private final Map<ScheduledExecutorService, Loop> loops = new ConcurrentHashMap<>();
  private volatile boolean closed;
  /**
   * Lateness counts from here on: a task due before the window that runs inside it counts only its
   * wait inside the window, so that a loop blocked before the window is not charged to it, while a
   * stall inside the window always is.
   */
  private volatile long windowStartNs = Long.MIN_VALUE;

  /** Starts probing {@code loop} unless it already is. Cheap to call for every request. */
  public void watch(ScheduledExecutorService loop) {
    if (!closed && !loops.containsKey(loop)) {
      loops.computeIfAbsent(loop, l -> {
        Loop p = new Loop(l);
        p.schedule();
        return p;
      });
    }
  }

  /** Drops the lags recorded so far (at a level's start). */
  public void reset() {
    windowStartNs = System.nanoTime();
    loops.values().forEach(Loop::reset);
  }

  /** The lags recorded since the last {@link #reset}, all loops pooled, in ms, sorted. */
  public double[] lagsMs() {
    double[] all = loops.values().stream().map(Loop::snapshot).flatMapToDouble(Arrays::stream).toArray();
    Arrays.sort(all);
    return all;
  }

  public int loops() {
    return loops.size();
  }

  @Override
  public void close() {
    closed = true;
  }

  private final class Loop implements Runnable {
    private final ScheduledExecutorService executor;
    private long dueNs;
    private long[] lagNs = new long[1024];
    private int n;

    Loop(ScheduledExecutorService executor) {
      this.executor = executor;
    }

    void schedule() {
      dueNs = System.nanoTime() + PERIOD_MS * 1_000_000;
      try {
        executor.schedule(this, PERIOD_MS, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException shutDown) {
        loops.remove(executor);
      }
    }

    @Override
    public void run() {
      long now = System.nanoTime();
      long from = dueNs - windowStartNs >= 0 ? dueNs : windowStartNs;
      if (now - windowStartNs >= 0) {
        synchronized (this) {
          if (n == lagNs.length) {
            lagNs = Arrays.copyOf(lagNs, n * 2);
          }
          lagNs[n++] = Math.max(0, now - from);
        }
      }
      if (!closed) {
        schedule();
      }
    }

    synchronized void reset() {
      n = 0;
      if (lagNs.length > 1 << 16) {
        lagNs = new long[1024];
      }
    }

    synchronized double[] snapshot() {
      double[] ms = new double[n];
      for (int i = 0; i < n; i++) {
        ms[i] = lagNs[i] / 1e6;
      }
      return ms;
    }
  }
}
