package llmbench.diagnosis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How late each event loop runs a task that was due: a probe rescheduled every {@link #PERIOD_MS} ms on
 * each loop the client's streams use, recording now − due. A loop busy with other work (or starved of
 * CPU by the JIT, the GC or the server) runs it late, and every SSE chunk it reads meanwhile is stamped
 * as late. Only lateness that a stamp met counts ({@link StampLateness}): each late run stands for the
 * chunks (and, apart, the requests written and first chunks: TTFT's stamps) since its previous run, since a loop late while
 * it had nothing to read cost no stamp anything (measured against the wire on llama.cpp: a level
 * flagged for 21 ms of such lag was read within 1 ms). Costs one wake-up per loop per period.
 */
public final class EventLoopProbe implements AutoCloseable {
  /**
   * A stall is seen from the probe's due time on; one that began before it is read short by up to a
   * period, so the period is short (5 ms: against the wire on llama.cpp, 10 ms read a level's chunk
   * delay p99 of 13.5 ms as 8.8 ms). 200 wake-ups a second per loop.
   */
  static final long PERIOD_MS = 5;
  private static final long PERIOD_NS = PERIOD_MS * 1_000_000;
  private final Map<ScheduledExecutorService, Loop> loops = new ConcurrentHashMap<>();
  /** Each probed loop by its thread: the chunk callbacks come on the loop's own thread. */
  private final Map<Thread, Loop> byThread = new ConcurrentHashMap<>();
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
        if (l instanceof io.netty.util.concurrent.EventExecutor e && e.inEventLoop()) {
          byThread.put(Thread.currentThread(), p); // before the stream this user is about to send
        } else {
          l.execute(() -> byThread.put(Thread.currentThread(), p));
        }
        p.schedule();
        return p;
      });
    }
  }

  /** The calling loop read a chunk ({@code first}: a stream's first); other threads are ignored. */
  public void chunkRead(boolean first) {
    Loop l = byThread.get(Thread.currentThread());
    if (l != null) {
      l.chunksSince++;
      if (first) {
        l.firstsSince++;
      }
    }
  }

  /**
   * The calling loop writes a request stamped in an earlier task (before its connection opened): a
   * stall between the stamp and the write is in its TTFT, as a first chunk's is. A request written
   * in the task that stamped it is measured instead ({@link #sendDelay}): counting those behind the
   * probe's lag flagged a level read within 1 ms.
   */
  public void requestWritten() {
    Loop l = byThread.get(Thread.currentThread());
    if (l != null) {
      l.firstsSince++;
    }
  }

  /**
   * The calling loop wrote a request {@code ns} after stamping its start, in the same task: no probe
   * can fall due in between, so the delay, measured, is the TTFT stamp's own lateness.
   */
  public void sendDelay(long ns) {
    Loop l = byThread.get(Thread.currentThread());
    if (l != null) {
      l.firsts.add(ns, Math.max(1, ns), 1);
    }
  }

  /** Drops the lags recorded so far (at a level's start). */
  public void reset() {
    windowStartNs = System.nanoTime();
    loops.values().forEach(Loop::reset);
  }

  /** The lateness the level's chunk stamps met, all loops pooled. */
  public StampLateness.Summary chunks() {
    return StampLateness.pooled(loops.values().stream().map(l -> l.chunks).toList());
  }

  /** The same for the TTFT stamps: requests written and first chunks read. */
  public StampLateness.Summary firstChunks() {
    return StampLateness.pooled(loops.values().stream().map(l -> l.firsts).toList());
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
    private final StampLateness chunks = new StampLateness();
    private final StampLateness firsts = new StampLateness();
    private long dueNs;
    // touched on the loop's own thread only
    private int chunksSince;
    private int firstsSince;
    private long stallFromNs;
    private long stallToNs;

    Loop(ScheduledExecutorService executor) {
      this.executor = executor;
    }

    void schedule() {
      dueNs = System.nanoTime() + PERIOD_NS;
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
        long lag = Math.max(0, now - from);
        // What came during a stall is read before this run when the loop was waiting for I/O, or after it
        // when the stall caught the loop among its tasks (a safepoint, the OS): the stamps read since the
        // previous run waited behind this lag, and behind that run's own stall if it was one.
        long carried = stallToNs == 0 ? 0 : Math.max(0, stallToNs - Math.max(stallFromNs, windowStartNs));
        long behind = Math.max(lag, carried);
        chunks.add(behind, PERIOD_NS, chunksSince);
        firsts.add(behind, PERIOD_NS, firstsSince);
        boolean stall = lag > PERIOD_NS;
        stallFromNs = stall ? from : 0;
        stallToNs = stall ? now : 0;
      }
      chunksSince = 0;
      firstsSince = 0;
      if (!closed) {
        schedule();
      }
    }

    void reset() {
      chunks.reset();
      firsts.reset();
    }
  }
}
