package llmbench.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.prompt.RequestBodies;
import llmbench.trace.TraceSink;
import llmbench.workload.LevelPlan;

/**
 * Streams from an in-process mock (loopback, 0.25 ms engine steps) before the first profile a JVM runs,
 * so that the JIT has compiled the client's hot path (Netty, Gatling's SSE checks, our recorder, and
 * the decoding and writing of the token timings, which runs while later streams are still timed)
 * before anything is measured. A fresh JVM otherwise measures its first level beside busy compiler
 * threads: in the fidelity benchmark a fresh JVM's first level at 128 streams reported P99 ITL 3–7×
 * the truth without this warm-up and 8–18 % above it with it (docs/PERFORMANCE.md). The server
 * under test sees none of these requests.
 */
final class ClientWarmUp {
  /** Chunks to stream: enough for the compiler to settle (about two warm runs at 128 × 100). */
  static final int CHUNKS = 25_000;
  static final int TOKENS = 250;
  /** Once per JVM: later profiles of a sweep find the code compiled (Gatling wiring, like its own). */
  private static final AtomicBoolean DONE = new AtomicBoolean();

  private final MockServer mock;
  private final LevelPlan plan;
  private final Path timings; // written and thrown away: the record path is part of what gets compiled
  private final TraceSink sink;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ClientWarmUp(int users) {
    MockConfig cfg = MockConfig.builder().port(0).host("127.0.0.1").stepModel(StepModel.fixed(0.25))
        .maxNumSeqs(1024).numGpuBlocks(1_000_000).maxNumBatchedTokens(262_144).build();
    this.mock = MockServer.start(cfg);
    int rounds = Math.max(1, (CHUNKS + users * TOKENS - 1) / (users * TOKENS));
    String model = cfg.modelId();
    this.plan = new LevelPlan("client-warmup", users, 8, TOKENS, users * rounds,
        i -> RequestBodies.completions(model, "client warm-up " + i, TOKENS));
    plan.prepare();
    try {
      this.timings = Files.createTempFile("llmbench-client-warmup-", ".jsonl");
    } catch (IOException e) {
      mock.close();
      throw new UncheckedIOException(e);
    }
    this.sink = new TraceSink(timings);
  }

  /** A warm-up for the first profile of this JVM (null for the others, or when turned off). */
  static ClientWarmUp startIfFirst(boolean enabled, int users) {
    return enabled && DONE.compareAndSet(false, true) ? new ClientWarmUp(users) : null;
  }

  LevelPlan plan() {
    return plan;
  }

  TraceSink sink() {
    return sink;
  }

  String url() {
    return mock.baseUrl() + "/v1/completions";
  }

  void close() {
    if (closed.compareAndSet(false, true)) {
      plan.release();
      mock.close();
      sink.close();
      try {
        Files.deleteIfExists(timings);
      } catch (IOException e) {
        timings.toFile().deleteOnExit();
      }
    }
  }
}
