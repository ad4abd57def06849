package llmbench.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import llmbench.report.PostProcessor;
import llmbench.report.RunInfo;
import llmbench.trace.RequestRecord;
import llmbench.trace.TraceFiles;
import llmbench.testutil.Jvm;

/**
 * Post-processing a synthetic run of {@code requests} × {@code chunks}: time and peak memory. Each size
 * runs in its own JVM with a small heap cap, so that "bounded memory" is shown by the run succeeding
 * under the cap as the chunks grow, not only by a peak figure.
 */
final class PostProcessBench {
  static final int HEAP_CAP_MB = 128;
  private static final ObjectMapper JSON = new ObjectMapper();

  private PostProcessBench() {}

  /** Runs {@link #main} in a child JVM with a {@value #HEAP_CAP_MB} MB heap; its last line is the row. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> runCapped(Path work, int requests, int chunks) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Jvm.java(), "-Xmx" + HEAP_CAP_MB + "m", "-cp", Jvm.classpath(),
        PostProcessBench.class.getName(), work.toString(), String.valueOf(requests), String.valueOf(chunks))
        .redirectErrorStream(true).start();
    String last = null;
    try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
        java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("{")) {
          last = line;
        } else {
          System.out.println(line);
        }
      }
    }
    int status = p.waitFor();
    Map<String, Object> row = last == null ? new LinkedHashMap<>() : JSON.readValue(last, Map.class);
    row.put("heap_cap_mb", HEAP_CAP_MB);
    row.put("exit_status", status);
    if (status != 0) {
      System.out.printf("post-processing %d x %d chunks FAILED under a %d MB heap (exit %d)%n", requests, chunks,
          HEAP_CAP_MB, status);
    }
    return row;
  }

  public static void main(String[] args) throws IOException {
    Map<String, Object> row = run(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    row.put("peak_rss_mb", peakRssMb());
    System.out.println(JSON.writeValueAsString(row));
  }

  /** VmHWM of this process (Linux), -1 elsewhere. */
  private static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }

  static Map<String, Object> run(Path work, int requests, int chunks) throws IOException {
    Path dir = Files.createTempDirectory(work, "post");
    SplittableRandom r = new SplittableRandom(1);
    try (SequenceWriter w = TraceFiles.writer(dir.resolve(TraceFiles.FILE_NAME))) {
      long t = 0;
      for (int i = 0; i < requests; i++) {
        long start = t + r.nextInt(1_000_000);
        long[] ns = new long[chunks];
        long at = start + 50_000_000L + r.nextInt(20_000_000);
        for (int k = 0; k < chunks; k++) {
          ns[k] = at;
          at += 8_000_000L + r.nextInt(4_000_000);
        }
        w.write(new RequestRecord("r" + i, "bench", "c128", 128, 200, chunks, start, ns[chunks - 1],
            1_700_000_000_000L + start / 1_000_000, ns, 200, chunks, "x".repeat(chunks), true, null));
        t += 2_000_000L;
      }
    }
    new RunInfo("bench", "bench", "http://mock", "org/model", "tok", "vllm", 4096, 1_700_000_000_000L,
        List.of("ttft", "tpot", "itl", "e2el"), List.of(99.0), null, List.of(), Map.of(), Map.of())
        .write(dir.resolve(RunInfo.FILE_NAME));
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
    long t0 = System.nanoTime();
    PostProcessor.process(dir, null, new PrintStream(java.io.OutputStream.nullOutputStream()), String::length);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    long total = (long) requests * chunks;
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("requests", requests);
    row.put("chunks_per_request", chunks);
    row.put("input_mb", Files.size(dir.resolve(TraceFiles.FILE_NAME)) / 1e6);
    row.put("seconds", seconds);
    row.put("chunks_per_s", total / seconds);
    row.put("peak_heap_mb", peak / 1e6);
    System.out.printf("post-processing %d x %d chunks (%.0f MB): %.1f s, %.2f M chunks/s, peak heap %.0f MB%n",
        requests, chunks, Files.size(dir.resolve(TraceFiles.FILE_NAME)) / 1e6, seconds, total / seconds / 1e6, peak / 1e6);
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    return row;
  }
}
