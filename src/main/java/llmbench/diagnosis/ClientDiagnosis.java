package llmbench.diagnosis;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The client's self-check for one level: its CPU, JIT compile time, GC pauses and event-loop lag
 * between the level's first request and its last response, and whether its stamps were late by more
 * than the level's targets, judged on what they could have lost: how late the loops ran as the
 * level's chunks came (chunk stamps), and as its requests went out after a connect and its first
 * chunks came (TTFT stamps) ({@link StampLateness}). The JIT's and the GC's time inside the level are said beside a flag as its likely cause;
 * they flag nothing by themselves (a compiler busy beside idle loops costs no stamp anything). A user
 * must never read a distorted number without being told.
 */
public final class ClientDiagnosis implements AutoCloseable {
  /** The level's targets for its stamps against the wire: chunk stamps late by at most this at p99, */
  public static final double LAG_P99_LIMIT_MS = 10;
  /** and no TTFT stamp late by more than this (the p99 of a level of up to 100 requests is its worst), */
  public static final double FIRST_CHUNK_LAG_MAX_LIMIT_MS = 20;
  /** nor by more than this on average. */
  public static final double FIRST_CHUNK_LAG_MEAN_LIMIT_MS = 5;

  /**
   * What happened inside one level.
   *
   * @param cpuByThreadMs CPU per kind of thread ({@link ThreadCpu}); empty off Linux
   * @param lagSamples the chunks the lag figures stand for (read by a run info of any version): the loops'
   *     lag as the level's chunk stamps met it ({@link StampLateness}), its median, p99 and worst stall
   * @param firstChunkLagMeanMs the same as the TTFT stamps met it (a request's write after its connect,
   *     and its first chunk): mean and worst stall
   * @param disturbances one line per limit crossed; empty when the level was clean
   */
  public record Level(double durationMs, double cpuMs, double jitMs, double gcPauseMs, long gcCount,
      Map<String, Double> cpuByThreadMs, int eventLoops, long lagSamples, double lagP50Ms, double lagP99Ms,
      double lagMaxMs, double firstChunkLagMeanMs, double firstChunkLagMaxMs, List<String> disturbances) {}

  /** The counters at a level's start. */
  public record Start(long nanoTime, long cpuNs, long jitMs, long gcMs, long gcCount, ThreadCpu.Reading threads) {}

  private final EventLoopProbe probe = new EventLoopProbe();

  /** Probes {@code loop} from now on (each event loop the client's streams run on). */
  public void watch(java.util.concurrent.ScheduledExecutorService loop) {
    probe.watch(loop);
  }

  /**
   * The calling event loop flushed a request {@code sinceStartNs} after stamping its start: measured
   * when in the same task, else (after a connect) charged with the loop's lag as its probe sees it.
   */
  public void requestSent(long sinceStartNs, boolean afterConnect) {
    if (afterConnect) {
      probe.requestWritten();
    } else {
      probe.sendDelay(sinceStartNs);
    }
  }

  /** The calling event loop read a chunk with choices ({@code first}: its stream's first), on its thread. */
  public void chunkRead(boolean first) {
    probe.chunkRead(first);
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
    StampLateness.Summary chunks = probe.chunks();
    StampLateness.Summary first = probe.firstChunks();
    Map<String, Double> threads = ThreadCpu.deltaMs(s.threads(), ThreadCpu.now());
    // the JVM's CPU, less an in-process mock's (--mock): the client's own
    double cpuMs = (processCpuNs() - s.cpuNs()) / 1e6 - threads.getOrDefault(ThreadCpu.MOCK, 0.0);
    return new Level(duration, cpuMs, jit, gcMs, gc[1] - s.gcCount(), threads, probe.loops(), (long) chunks.stamps(),
        chunks.p50Ms(), chunks.p99Ms(), chunks.maxMs(), first.meanMs(), first.maxMs(),
        disturbances(jit, gcMs, chunks.p99Ms(), chunks.maxMs(), first.meanMs(), first.maxMs()));
  }

  /**
   * The limits a level crossed, each as a line a user can act on.
   *
   * @param lagP99 the loops' lag p99 as the chunk stamps met it; {@code lagMax} the worst stall among them
   * @param firstMean the same as the TTFT stamps met it: mean and worst stall
   */
  public static List<String> disturbances(double jitMs, double gcMs, double lagP99, double lagMax, double firstMean,
      double firstMax) {
    List<String> out = new ArrayList<>();
    String cause = cause(jitMs, gcMs);
    if (firstMax > FIRST_CHUNK_LAG_MAX_LIMIT_MS || firstMean > FIRST_CHUNK_LAG_MEAN_LIMIT_MS) {
      out.add(String.format(Locale.ROOT, "the client's event loops ran up to %.1f ms late (mean %.1f ms) as "
          + "requests went out or first chunks came (limits %.0f ms, mean %.0f ms): TTFT may read as much too long%s",
          firstMax, firstMean, FIRST_CHUNK_LAG_MAX_LIMIT_MS, FIRST_CHUNK_LAG_MEAN_LIMIT_MS, cause));
    }
    if (lagP99 > LAG_P99_LIMIT_MS) {
      out.add(String.format(Locale.ROOT, "the client's event loops ran late as chunks came (p99 %.1f ms, "
          + "up to %.1f ms; limit %.0f ms p99): its chunk stamps, ITL and TPOT were late by as much%s",
          lagP99, lagMax, LAG_P99_LIMIT_MS, cause));
    }
    return out;
  }

  /** What else ran inside the level, for a flag's reader; the server, on a shared host, is the other suspect. */
  private static String cause(double jitMs, double gcMs) {
    return String.format(Locale.ROOT, " (inside it the client's JIT compiled for %.0f ms and its GC paused %.0f ms; "
        + "a server computing on the same cores takes them too: give the client a core of its own)", jitMs, gcMs);
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
