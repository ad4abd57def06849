package llmbench.diagnosis;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import llmbench.stats.Distribution;

/**
 * The client's self-check for one level: its CPU, JIT compile time, GC pauses and event-loop lag
 * between the level's first request and its last response, and whether any of them was large enough
 * to have distorted what the level measured. A user must never read a distorted number without
 * being told.
 */
public final class ClientDiagnosis implements AutoCloseable {
  /** A loop that runs a due task this late stamps chunks this late too. */
  public static final double LAG_P99_LIMIT_MS = 5;
  /** One stall this long (a GC pause, a blocked loop) delayed every stream at once. */
  public static final double LAG_MAX_LIMIT_MS = 50;
  /** JIT or GC time inside a level above this is a disturbance when it is also a share of the level: */
  public static final double BACKGROUND_LIMIT_MS = 100;
  /** the JIT's compilers took a tenth of a core for the whole level; */
  public static final double JIT_SHARE_LIMIT = 0.10;
  /** GC pauses stop every stream, so a smaller share counts. */
  public static final double GC_SHARE_LIMIT = 0.01;

  /**
   * What happened inside one level.
   *
   * @param cpuByThreadMs CPU per kind of thread ({@link ThreadCpu}); empty off Linux
   * @param disturbances one line per limit crossed; empty when the level was clean
   */
  public record Level(double durationMs, double cpuMs, double jitMs, double gcPauseMs, long gcCount,
      Map<String, Double> cpuByThreadMs, int eventLoops, int lagSamples, double lagP50Ms, double lagP99Ms,
      double lagMaxMs, List<String> disturbances) {}

  /** The counters at a level's start. */
  public record Start(long nanoTime, long cpuNs, long jitMs, long gcMs, long gcCount, ThreadCpu.Reading threads) {}

  private final EventLoopProbe probe = new EventLoopProbe();

  /** Probes {@code loop} from now on (each event loop the client's streams run on). */
  public void watch(java.util.concurrent.ScheduledExecutorService loop) {
    probe.watch(loop);
  }

  /** Stops the probes (at the end of a simulation; its event loops stop with it anyway). */
  @Override
  public void close() {
    probe.close();
  }

  public Start begin() {
    probe.reset();
    long[] gc = gc();
    return new Start(System.nanoTime(), processCpuNs(), jitMs(), gc[0], gc[1], ThreadCpu.now());
  }

  public Level end(Start s) {
    long[] gc = gc();
    double duration = (System.nanoTime() - s.nanoTime()) / 1e6;
    double jit = jitMs() - s.jitMs();
    double gcMs = gc[0] - s.gcMs();
    double[] lags = probe.lagsMs();
    Distribution d = new Distribution(lags);
    double p99 = d.percentile(99);
    double max = lags.length == 0 ? 0 : lags[lags.length - 1];
    Map<String, Double> threads = ThreadCpu.deltaMs(s.threads(), ThreadCpu.now());
    // the JVM's CPU, less an in-process mock's (--mock): the client's own
    double cpuMs = (processCpuNs() - s.cpuNs()) / 1e6 - threads.getOrDefault(ThreadCpu.MOCK, 0.0);
    return new Level(duration, cpuMs, jit, gcMs, gc[1] - s.gcCount(), threads, probe.loops(), lags.length,
        d.median(), p99, max, disturbances(duration, jit, gcMs, p99, max));
  }

  /** The limits a level crossed, each as a line a user can act on. */
  public static List<String> disturbances(double durationMs, double jitMs, double gcMs, double lagP99, double lagMax) {
    List<String> out = new ArrayList<>();
    if (lagP99 > LAG_P99_LIMIT_MS || lagMax > LAG_MAX_LIMIT_MS) {
      out.add(String.format(Locale.ROOT, "the client's event loops ran up to %.1f ms late (p99 %.1f ms; limits %.0f ms "
          + "p99, %.0f ms max): its chunk stamps were late by as much; give the client a core of its own",
          lagMax, lagP99, LAG_P99_LIMIT_MS, LAG_MAX_LIMIT_MS));
    }
    if (jitMs > BACKGROUND_LIMIT_MS && jitMs > JIT_SHARE_LIMIT * durationMs) {
      out.add(String.format(Locale.ROOT, "the client's JIT compiler ran %.0f ms inside this level (%.0f %% of it): its "
          + "first levels were still warming up; rerun, or run a short sweep first", jitMs, 100 * jitMs / durationMs));
    }
    if (gcMs > BACKGROUND_LIMIT_MS && gcMs > GC_SHARE_LIMIT * durationMs) {
      out.add(String.format(Locale.ROOT, "the client paused %.0f ms for garbage collection inside this level (> %.0f ms)",
          gcMs, BACKGROUND_LIMIT_MS));
    }
    return out;
  }

  private static long jitMs() {
    CompilationMXBean c = ManagementFactory.getCompilationMXBean();
    return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
  }

  /** Pause time and count of the stop-the-world collectors (concurrent cycles run beside the app). */
  private static long[] gc() {
    long ms = 0;
    long count = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      String name = b.getName();
      if (name.contains("Concurrent") || name.endsWith("Cycles")) {
        continue;
      }
      ms += Math.max(0, b.getCollectionTime());
      count += Math.max(0, b.getCollectionCount());
    }
    return new long[] {ms, count};
  }

  static long processCpuNs() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
