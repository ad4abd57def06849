package llmbench.bench;

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

/** Post-processing a synthetic run of {@code requests} × {@code chunks}: time and peak heap. */
final class PostProcessBench {
  private PostProcessBench() {}

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
