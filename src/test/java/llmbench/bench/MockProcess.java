package llmbench.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import llmbench.mock.GroundTruth;
import llmbench.testutil.Jvm;

/**
 * The mock in a JVM of its own, with fixed engine steps and its ground truth in a trace file. Kept
 * for every run with the same step time: started once and warmed up first, so that its JIT compiler
 * does not compete with the client for the cores while runs are measured.
 */
record MockProcess(Process process, int port, Path trace) {

  /** Every trace written so far (flushed per record). */
  Map<String, GroundTruth.Trace> traces() throws IOException, InterruptedException {
    Thread.sleep(300); // the mock's trace writer runs after each stream's last byte
    return GroundTruth.read(trace);
  }

  /** One mock process at a time, keyed by step time and niceness: an idle one would still hold memory. */
  static final class Pool implements AutoCloseable {
    private final Path work;
    private final Path tokenizer;
    private final Map<String, MockProcess> running = new HashMap<>();

    Pool(Path work, Path tokenizer) {
      this.work = work;
      this.tokenizer = tokenizer;
    }

    /** @param nice the process's niceness: above 0 it yields the cores to the client */
    MockProcess get(double stepMs, int nice) throws IOException, InterruptedException {
      String key = stepMs + "-" + nice;
      MockProcess existing = running.get(key);
      if (existing != null) {
        return existing;
      }
      close();
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path trace = work.resolve("mock-trace-" + key + ".jsonl");
      List<String> cmd = new ArrayList<>();
      if (nice != 0) {
        cmd.addAll(List.of("nice", "-n", Integer.toString(nice)));
      }
      cmd.addAll(List.of(Jvm.java(), "-Xmx1G",
          "-cp", Jvm.classpath(), "llmbench.cli.MockMain", "--port", Integer.toString(port),
          "--decode-step-ms", Double.toString(stepMs), "--max-num-seqs", "1024", "--num-gpu-blocks", "1000000",
          "--max-num-batched-tokens", "262144", "--tokenizer", tokenizer.toString(), "--trace", trace.toString()));
      Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(work.resolve("mock-" + key + ".log").toFile()).start();
      llmbench.testutil.Http.waitForPort(port, 30);
      DrainClient.run(port, 256, 1024, BenchUtil.body(199, 100)); // JIT warm-up of the mock's hot paths
      MockProcess mock = new MockProcess(process, port, trace);
      running.put(key, mock);
      return mock;
    }

    @Override
    public void close() throws InterruptedException {
      for (MockProcess m : running.values()) {
        m.process().destroy();
        m.process().waitFor(20, TimeUnit.SECONDS);
      }
      running.clear();
    }
  }
}
