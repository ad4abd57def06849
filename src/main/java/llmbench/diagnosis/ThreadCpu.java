package llmbench.diagnosis;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * This JVM's CPU per kind of thread, from {@code /proc/self/task/TID/stat} (utime + stime, fields 14
 * and 15) and the thread's name in {@code comm} (Linux; empty elsewhere). The JIT's compiler threads
 * are not Java threads and {@code ThreadMXBean} does not see them: only the kernel knows what they cost.
 */
public final class ThreadCpu {
  /** Kinds of threads, the way a reader of a disturbed level needs them. */
  public static final String COMPILER = "jit_compiler";
  public static final String GC = "gc";
  public static final String EVENT_LOOPS = "event_loops";
  /** The built-in mock's threads, when it runs in the client's JVM ({@code --mock}): not the client's. */
  public static final String MOCK = "mock";
  public static final String OTHER = "other";

  private static final Path TASKS = Path.of("/proc/self/task");
  private static final long NS_PER_TICK = 10_000_000L; // USER_HZ is 100 on every Linux we run on

  private ThreadCpu() {}

  /** One reading: CPU ns so far and kind, per thread id. */
  public record Reading(Map<String, Long> cpuNs, Map<String, String> kinds) {
    /** CPU ns so far of the live threads of one kind. */
    public long cpuNsOf(String kind) {
      return cpuNs.entrySet().stream().filter(e -> kind.equals(kinds.get(e.getKey())))
          .mapToLong(Map.Entry::getValue).sum();
    }
  }

  /** CPU so far per thread (empty off Linux). */
  public static Reading now() {
    Map<String, Long> cpu = new LinkedHashMap<>();
    Map<String, String> kinds = new LinkedHashMap<>();
    if (!Files.isDirectory(TASKS)) {
      return new Reading(cpu, kinds);
    }
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path t : tasks) {
        try {
          String tid = t.getFileName().toString();
          String stat = Files.readString(t.resolve("stat"));
          cpu.put(tid, cpuNs(stat));
          kinds.put(tid, kind(Files.readString(t.resolve("comm")).trim()));
        } catch (IOException gone) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException e) {
      // no /proc: nothing to say
    }
    return new Reading(cpu, kinds);
  }

  static String kind(String comm) {
    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre") || comm.startsWith("JVMCI")) {
      return COMPILER;
    }
    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("VM Thread")
        || comm.startsWith("ZGC") || comm.startsWith("Shenandoah")) {
      return GC;
    }
    if (comm.startsWith("gatling-")) {
      return EVENT_LOOPS;
    }
    if (comm.startsWith("mock-")) {
      return MOCK;
    }
    return OTHER;
  }

  /** utime + stime of a {@code stat} line; the command name in parentheses may hold spaces. */
  static long cpuNs(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // f[0] is field 3 (state): utime is field 14, stime field 15
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NS_PER_TICK;
  }

  /**
   * CPU per kind of thread between two readings, in ms: per thread, so that a thread that ended
   * (the JVM retires idle compiler threads) loses only its own share instead of making a sum shrink.
   */
  public static Map<String, Double> deltaMs(Reading a, Reading b) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String k : new String[] {COMPILER, GC, EVENT_LOOPS, MOCK, OTHER}) {
      out.put(k, 0.0);
    }
    b.cpuNs().forEach((tid, ns) -> out.merge(b.kinds().get(tid), (ns - a.cpuNs().getOrDefault(tid, 0L)) / 1e6, Double::sum));
    return out;
  }
}
