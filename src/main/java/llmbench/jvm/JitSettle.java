package llmbench.jvm;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import llmbench.diagnosis.ThreadCpu;

/**
 * Tells when the JIT has finished compiling what the client warm-up asked for. The warm-up makes
 * the hot path hot within a second or two, but C2 needs 0.1–1.2 s per method on a small machine and
 * works through its queue one method at a time: measured in a fresh JVM (docs/PERFORMANCE.md), the
 * queue took the first five levels of the low profile to drain, about 1 s of compiler CPU in every
 * level, beside the event loops. So the first level waits until the compiler threads have been
 * nearly idle for two checks in a row, or until the limit.
 */
public final class JitSettle {
  /** Compiler CPU below this share of one core between checks counts as idle. */
  static final double IDLE_SHARE = 0.05;
  private final long startNs = System.nanoTime();
  private final long limitNs;
  private long lastCpuNs = -1;
  private long lastCheckNs;
  private int idleChecks;
  private boolean settled;

  public JitSettle(Duration limit) {
    this.limitNs = limit.toNanos();
  }

  /** True while the compilers are busy and the limit is not reached; call it every few hundred ms. */
  public synchronized boolean busy() {
    long now = System.nanoTime();
    long cpu = compilerCpuNs();
    if (lastCpuNs >= 0) {
      long used = Math.max(0, cpu - lastCpuNs); // a retired compiler thread makes the sum drop
      idleChecks = used < IDLE_SHARE * (now - lastCheckNs) ? idleChecks + 1 : 0;
    }
    lastCpuNs = cpu;
    lastCheckNs = now;
    settled = idleChecks >= 2;
    return !settled && now - startNs < limitNs;
  }

  /** Whether the compilers went idle (false: the limit ended the wait). */
  public synchronized boolean settled() {
    return settled;
  }

  public double waitedSeconds() {
    return (System.nanoTime() - startNs) / 1e9;
  }

  /** The compiler threads' CPU from /proc where there is one, else the JVM's compile-time counter. */
  private static long compilerCpuNs() {
    ThreadCpu.Reading r = ThreadCpu.now();
    if (!r.cpuNs().isEmpty()) {
      return r.cpuNsOf(ThreadCpu.COMPILER);
    }
    var c = ManagementFactory.getCompilationMXBean();
    return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() * 1_000_000 : 0;
  }
}
