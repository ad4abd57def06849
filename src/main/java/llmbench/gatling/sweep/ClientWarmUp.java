package llmbench.gatling.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicBoolean;
import llmbench.jvm.JitSettle;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.prompt.RequestBodies;
import llmbench.trace.TraceSink;
import llmbench.workload.LevelPlan;

/**
 * Streams from in-process mocks (loopback, 0.25 ms engine steps) before the first profile a JVM runs
 * (as a Gatling run of its own, before the measured one starts), first at full speed, then at a
 * trickle until the JIT has settled, so that the client's hot path (Netty, our LLM action, the
 * recorder, the decoding and writing of the token timings) is compiled before anything is measured.
 * It takes every path a real run takes: a fresh connection per level, kept-alive connections, a server
 * that closes each streamed connection, vLLM's and llama.cpp's chunk shapes, completions and chat,
 * text beyond ASCII. In a fresh JVM without it, the first levels run beside busy compiler threads
 * (docs/PERFORMANCE.md). The server under test sees none of these requests.
 */
final class ClientWarmUp {
  /** Chunks per round of the warm-up; rounds repeat until the JIT is idle. */
  static final int CHUNKS = 10_000;
  static final int TOKENS = 250;
  static final Duration SETTLE_LIMIT = Duration.ofSeconds(30);
  /**
   * Chunks streamed at full speed, over all three servers, before the warm-up slows to a trickle:
   * enough for the per-chunk code to pass C2's thresholds (15,000 calls) five times over. Streaming at
   * full speed until the JIT settled took the cores from the compilers it waited for: the in-process
   * servers and the client's loops used 1.7 of 2 cores for 20 s, the compilers 0.3, and the low
   * profile's whole run cost 50 s of CPU on llama.cpp; with this burst and the trickle, 17-23 s
   * (docs/PERFORMANCE.md, 6b), the wire as before.
   */
  static final int BURST_CHUNKS = 75_000;
  /**
   * Streams per second, over all three servers, while trickling: every path stays in use, so that
   * the compilations it queued are not dropped as stale, at a twentieth of the burst's cost.
   */
  static final int TRICKLE_STREAMS_PER_SECOND = 9;
  /** Once per JVM: later profiles of a sweep find the code compiled (Gatling wiring, like its own). */
  private static final AtomicBoolean DONE = new AtomicBoolean();

  /** One in-process server and the requests sent to it. */
  record Target(String name, MockServer mock, LevelPlan plan, String path, AtomicInteger streamed) {
    static String label(String name) {
      return "client-warmup-" + name;
    }
  }

  private final List<Target> targets;
  private final Path timings; // written and thrown away: the record path is part of what gets compiled
  private final TraceSink sink;
  private final JitSettle settle = new JitSettle(SETTLE_LIMIT);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean reported = new AtomicBoolean();
  private final Thread watcher;
  private volatile boolean streaming = true;

  private final int users;
  private final AtomicInteger streams = new AtomicInteger();
  /** A self-check fed as a measured run's is, so that its probe's stream accounting is compiled too. */
  private final llmbench.diagnosis.ClientDiagnosis diagnosis = new llmbench.diagnosis.ClientDiagnosis();
  private final llmbench.gatling.llm.StreamWatch watch = SweepRun.watch(null, diagnosis);

  private ClientWarmUp(int widest) {
    // a user for each server at least: a path no user takes stays cold (the rate path, when the
    // widest level of the JVM's first run was 2)
    int users = Math.max(widest, 3);
    this.users = users;
    int perTarget = Math.max(1, (users + 2) / 3);
    int rounds = Math.max(1, (CHUNKS + users * TOKENS - 1) / (users * TOKENS));
    this.targets = List.of(
        target("vllm", perTarget, rounds, false, "vllm", false, false),
        target("llamacpp", perTarget, rounds, true, "llamacpp", true, false),
        target("request-rate", perTarget, rounds, false, "vllm", false, true));
    try {
      this.timings = Files.createTempFile("llmbench-client-warmup-", ".jsonl");
    } catch (IOException e) {
      targets.forEach(t -> t.mock().close());
      throw new UncheckedIOException(e);
    }
    this.sink = new TraceSink(timings);
    // every finished stream, counted by the server it went to (its level's label)
    sink.setListener(r -> targets.stream().filter(t -> r.level().equals(Target.label(t.name()))).findFirst()
        .ifPresent(t -> {
          streams.incrementAndGet();
          t.streamed().incrementAndGet();
        }));
    this.watcher = new Thread(this::watch, "llmbench-jit-settle");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Checks the compiler threads every 250 ms while the warm-up streams; ends it when they are idle. */
  private void watch() {
    try {
      while (streaming) {
        Thread.sleep(250);
        streaming = settle.busy();
      }
    } catch (InterruptedException e) {
      streaming = false;
    }
  }

  /** A user's pause after each stream: none in the burst, then one that makes the trickle's rate. */
  Duration pause() {
    if ((long) streams.get() * TOKENS < BURST_CHUNKS) {
      return Duration.ZERO;
    }
    return Duration.ofMillis(1000L * usersPerTarget() * targets.size() / TRICKLE_STREAMS_PER_SECOND);
  }

  /** True while the users should send another round of warm-up requests. */
  boolean streaming() {
    return streaming;
  }

  /** One line, once: how long the warm-up took and whether the JIT went idle. */
  void report() {
    if (reported.compareAndSet(false, true)) {
      sink.awaitWritten(2_000); // the last streams' records, some 50 ms behind their ends
      String each = String.join(", ", targets.stream().map(t -> t.name() + " " + t.streamed().get()).toList());
      System.out.printf(java.util.Locale.ROOT, "client warm-up: %s after %.1f s, %d streams from its own "
          + "in-process servers (%s; not in Gatling's report)%n",
          settle.settled() ? "JIT settled" : "JIT still compiling at the limit", settle.waitedSeconds(), streams.get(), each);
    }
  }

  /** @param open the request-rate path (claims, pauses until due) instead of the closed one */
  private static Target target(String name, int users, int rounds, boolean chat, String shape, boolean close, boolean open) {
    MockServer mock = MockServer.start(MockConfig.builder().port(0).host("127.0.0.1")
        .stepModel(StepModel.fixed(0.25)).maxNumSeqs(1024).numGpuBlocks(1_000_000)
        .maxNumBatchedTokens(262_144).chunkShape(shape).closeConnections(close).spinWait(false).variedText(true).build());
    String model = mock.config().modelId();
    RequestBodies requests = RequestBodies.plain(model);
    // prompts beyond ASCII too: a real run's prompts are a real tokenizer's text
    java.util.function.IntFunction<byte[]> bodies = i -> chat ? requests.chat("client warm-up é中 " + i, java.util.List.of(), TOKENS)
        : requests.completions("client warm-up é中 " + i, TOKENS);
    // a rate level's first requests must not be its chain's first run either
    LevelPlan plan = !open ? new LevelPlan(Target.label(name), users, 8, TOKENS, users * rounds, bodies)
        : LevelPlan.openLabelled(Target.label(name), new llmbench.workload.Arrivals(2_000, 1, users), 8, TOKENS,
            users * rounds, 1, bodies);
    plan.prepare();
    return new Target(name, mock, plan, chat ? "/v1/chat/completions" : "/v1/completions", new AtomicInteger());
  }

  /** The warm-up that {@link ClientWarmUpSimulation} runs (Gatling builds simulations by reflection). */
  private static volatile ClientWarmUp current;

  static ClientWarmUp current() {
    return current;
  }

  /**
   * Before the first profile of this JVM (a no-op for the others, or when turned off): streams as a
   * Gatling run of its own, with no console writer and no report, whose folder is then deleted, so
   * that neither Gatling's console nor its HTML report nor the measured run's simulation.log shows
   * it. Blocks until the JIT has settled (at most {@link #SETTLE_LIMIT}).
   */
  static void runIfFirst(boolean enabled, int users) {
    if (!enabled || !DONE.compareAndSet(false, true)) {
      return;
    }
    ClientWarmUp warm = new ClientWarmUp(users);
    current = warm;
    Path results = null;
    try {
      results = Files.createTempDirectory("llmbench-client-warmup-");
      GatlingLauncher.gatling(ClientWarmUpSimulation.class.getName(), results, false, "--no-reports");
      warm.report();
    } catch (Exception e) { // Gatling rethrows checked exceptions too
      System.out.println("client warm-up failed (" + e.getMessage() + "): the first levels may run beside the JIT");
    } finally {
      warm.close();
      current = null;
      deleteTree(results);
    }
  }

  /** A folder and everything in it, as far as it goes (whatever is left goes at exit). */
  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      dir.toFile().deleteOnExit();
    }
  }

  /** The users each in-process server gets (the widest level's, split over the three). */
  int usersPerTarget() {
    return Math.max(1, (users + 2) / 3);
  }

  /** The target of the user with this index: users take the three in turn. */
  Target target(int userIndex) {
    return targets.get(userIndex % targets.size());
  }

  TraceSink sink() {
    return sink;
  }

  llmbench.diagnosis.ClientDiagnosis diagnosis() {
    return diagnosis;
  }

  llmbench.gatling.llm.StreamWatch streamWatch() {
    return watch;
  }

  /** Ends the warm-up: its streams, servers, self-check and writer (its timings file deleted). */
  void close() {
    if (closed.compareAndSet(false, true)) {
      streaming = false;
      watcher.interrupt();
      diagnosis.close();
      targets.forEach(t -> {
        t.plan().release();
        t.mock().close();
      });
      sink.close();
      try {
        Files.deleteIfExists(timings);
      } catch (IOException e) {
        timings.toFile().deleteOnExit();
      }
    }
  }
}
