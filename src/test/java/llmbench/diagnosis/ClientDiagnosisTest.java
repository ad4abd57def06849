package llmbench.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client's self-check: its limits, the event-loop probe on a real Netty loop, /proc parsing. */
class ClientDiagnosisTest {
  @Test
  void limitsSayWhatCrossedThem() {
    // within the targets: chunk stamps at most 10 ms late at p99, TTFT stamps at most 20 ms (5 ms mean)
    assertEquals(List.of(), ClientDiagnosis.disturbances(50, 20, 9.9, 30, 4.9, 19.9));
    List<String> lag = ClientDiagnosis.disturbances(0, 0, 12, 40, 1, 2);
    assertEquals(1, lag.size());
    assertTrue(lag.get(0).contains("late as chunks came (p99 12.0 ms, up to 40.0 ms;"), lag.get(0));
    List<String> first = ClientDiagnosis.disturbances(150, 3, 1, 30, 2, 30);
    assertEquals(1, first.size(), "one stall while a first chunk was due: " + first);
    assertTrue(first.get(0).contains("up to 30.0 ms late (mean 2.0 ms) as requests went out or first chunks came"), first.get(0));
    assertTrue(first.get(0).contains("JIT compiled for 150 ms and its GC paused 3 ms"), "the likely cause beside it: " + first.get(0));
    assertEquals(1, ClientDiagnosis.disturbances(0, 0, 1, 6, 5.5, 6).size(), "TTFT stamps late on average");
    // the JIT or the GC alone, with loops on time, cost no stamp anything
    assertEquals(List.of(), ClientDiagnosis.disturbances(5_000, 150, 1, 1, 0.5, 1));
  }

  /** A test's body, with a Netty loop the probe watches. */
  private interface ProbedLoop {
    void run(DefaultEventLoop loop, EventLoopProbe probe) throws Exception;
  }

  private static void probed(ProbedLoop body) throws Exception {
    DefaultEventLoop loop = new DefaultEventLoop();
    try (EventLoopProbe probe = new EventLoopProbe()) {
      probe.watch(loop);
      body.run(loop, probe);
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  /** A stream's chunk read every 2 ms on {@code loop} for {@code forNs}. */
  private static void chunksEvery2Ms(DefaultEventLoop loop, EventLoopProbe probe, long forNs) {
    long until = System.nanoTime() + forNs;
    loop.execute(new Runnable() {
      @Override
      public void run() {
        probe.chunkRead(false);
        if (System.nanoTime() < until) {
          loop.schedule(this, 2, TimeUnit.MILLISECONDS);
        }
      }
    });
  }

  @Test
  void aBlockedLoopIsSeenAndACleanOneIsNot() throws Exception {
    probed((loop, probe) -> {
      Thread.sleep(50);
      probe.reset();
      chunksEvery2Ms(loop, probe, 300_000_000L);
      Thread.sleep(300);
      StampLateness.Summary clean = probe.chunks();
      assertTrue(clean.stamps() >= 50, "the chunks read: " + clean);
      assertTrue(clean.p99Ms() < 10, "an idle loop runs its tasks on time: " + clean);

      probe.reset();
      chunksEvery2Ms(loop, probe, 400_000_000L);
      Thread.sleep(100);
      loop.submit(() -> { // a level's loop busy for 80 ms; then, first, the 40 chunks its socket buffered meanwhile
        sleep(80);
        for (int i = 0; i < 40; i++) {
          probe.chunkRead(false);
        }
      }).get(1, TimeUnit.SECONDS);
      Thread.sleep(300);
      StampLateness.Summary blocked = probe.chunks();
      assertTrue(blocked.maxMs() >= 60, "the probe due during the block ran late: " + blocked);
      // 80 of 400 ms stalled: a fifth of the chunks met some of it, so its p99 is the stall's
      assertTrue(blocked.p99Ms() >= 50, "the stall weighs as the chunks behind it do: " + blocked);
    });
  }

  /**
   * Only what a stamp met counts: a loop blocked while it read nothing gives no sample; the chunks
   * read after a stall (the loop reads its sockets before it runs due tasks) are charged with it.
   */
  @Test
  void lagCountsOnlyAsChunksMeetIt() throws Exception {
    probed((loop, probe) -> {
      Thread.sleep(50);
      probe.reset();
      loop.submit(() -> sleep(60)).get(1, TimeUnit.SECONDS); // idle: nothing to read
      Thread.sleep(30);
      assertEquals(0, probe.chunks().stamps(), "no chunk, no sample");

      loop.submit(() -> {
        sleep(60);
        probe.chunkRead(true); // read at the stall's end, before the late probe runs
        probe.chunkRead(false);
      }).get(1, TimeUnit.SECONDS);
      Thread.sleep(30);
      StampLateness.Summary chunks = probe.chunks();
      StampLateness.Summary first = probe.firstChunks();
      assertEquals(2, chunks.stamps(), 1e-9);
      assertTrue(chunks.maxMs() >= 40, "the stall the chunks waited behind: " + chunks);
      assertEquals(1, first.stamps(), 1e-9);
      assertTrue(first.maxMs() >= 40 && first.meanMs() > 15, "and the first chunk's: " + first);
      Thread.sleep(60);
      assertEquals(2, probe.chunks().stamps(), 1e-9, "nothing read since: nothing more counted");

      loop.submit(() -> { // a request stamped, then written after a stall (its connect's callback waited)
        sleep(60);
        probe.requestWritten();
      }).get(1, TimeUnit.SECONDS);
      Thread.sleep(30);
      StampLateness.Summary ttft = probe.firstChunks();
      assertEquals(2, ttft.stamps(), 1e-9, "the written request is a TTFT stamp too: " + ttft);
      assertEquals(2, probe.chunks().stamps(), 1e-9, "and no chunk");

      // written in the task that stamped it, 30 ms later (the thread off its core): measured, not probed
      loop.submit(() -> probe.sendDelay(30_000_000L)).get(1, TimeUnit.SECONDS);
      StampLateness.Summary sent = probe.firstChunks();
      assertEquals(3, sent.stamps(), 1e-9);
      assertEquals((2 * ttft.meanMs() + 30) / 3, sent.meanMs(), 1e-6, "one stamp 30 ms late beside the two: " + sent);
    });
  }

  /**
   * A stall that catches the loop among its tasks (a safepoint, the OS) ends with the probe's late run
   * before the loop reads what its sockets buffered meanwhile: those chunks waited behind the stall too
   * (a 673 ms heap dump's 378 chunks were counted with the next run's 0.1 ms).
   */
  @Test
  void chunksReadJustAfterALateRunWaitedBehindItsStall() throws Exception {
    probed((loop, probe) -> {
      Thread.sleep(50);
      probe.reset();
      loop.submit(() -> probe.chunkRead(false)).get(1, TimeUnit.SECONDS); // one chunk before the stall
      loop.submit(() -> sleep(60)).get(1, TimeUnit.SECONDS); // the probe falls due meanwhile, then runs
      Thread.sleep(2);
      loop.submit(() -> {
        for (int i = 0; i < 40; i++) {
          probe.chunkRead(false);
        }
      }).get(1, TimeUnit.SECONDS);
      Thread.sleep(30);
      StampLateness.Summary chunks = probe.chunks();
      assertEquals(41, chunks.stamps(), 1e-9);
      assertTrue(chunks.p99Ms() >= 40, "the 40 chunks read after the late run waited behind its stall: " + chunks);
    });
  }

  /** A loop blocked before the window opens is charged only with the part of the stall inside it. */
  @Test
  void aStallBeforeTheWindowCountsOnlyInsideIt() throws Exception {
    probed((loop, probe) -> {
      Thread.sleep(50);
      var block = loop.submit(() -> {
        sleep(150);
        probe.chunkRead(false);
      });
      Thread.sleep(90);
      probe.reset(); // while the loop is still blocked: about 60 of its 150 ms fall inside the window
      block.get(1, TimeUnit.SECONDS);
      Thread.sleep(100);
      StampLateness.Summary lags = probe.chunks();
      assertTrue(lags.stamps() > 0 && lags.maxMs() < 100, "the whole stall was counted: " + lags);
    });
  }

  @Test
  void aLevelsCpuAndItsThreads() throws Exception {
    ClientDiagnosis d = new ClientDiagnosis();
    ClientDiagnosis.Start s = d.begin();
    long until = System.nanoTime() + 200_000_000L;
    long x = 0;
    while (System.nanoTime() < until) {
      x += System.nanoTime() % 7;
    }
    ClientDiagnosis.Level l = d.end(s);
    assertTrue(x > 0);
    assertTrue(l.durationMs() >= 200);
    assertTrue(l.cpuMs() >= 100, "this thread spun for 200 ms: " + l.cpuMs());
    if (!l.cpuByThreadMs().isEmpty() && java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
      assertTrue(l.cpuByThreadMs().get(ThreadCpu.OTHER) >= 100, l.cpuByThreadMs().toString());
    }
  }

  @Test
  void procStatLinesAndThreadKinds() {
    // comm may hold spaces and parentheses; utime and stime are fields 14 and 15, in ticks of 10 ms
    String stat = "4242 (C2 CompilerThre) S 1 4200 4200 0 -1 4194624 0 0 0 0 125 37 0 0 20 0 45 0 1000 0 0";
    assertEquals((125 + 37) * 10_000_000L, ThreadCpu.cpuNs(stat));
    assertEquals(ThreadCpu.COMPILER, ThreadCpu.kind("C2 CompilerThre"));
    assertEquals(ThreadCpu.GC, ThreadCpu.kind("GC Thread#0"));
    assertEquals(ThreadCpu.EVENT_LOOPS, ThreadCpu.kind("gatling-1-2"));
    assertEquals(ThreadCpu.OTHER, ThreadCpu.kind("llmbench-trace-writer"));
    assertEquals(ThreadCpu.MOCK, ThreadCpu.kind("mock-io-1-2"));
    assertEquals(ThreadCpu.MOCK, ThreadCpu.kind("mock-engine"));
    ThreadCpu.Reading a = new ThreadCpu.Reading(Map.of("1", 100L, "2", 50L), Map.of("1", "gc", "2", "jit_compiler"));
    ThreadCpu.Reading b = new ThreadCpu.Reading(Map.of("1", 300L), Map.of("1", "gc"));
    // thread 2 ended: it loses its own share, the sum does not go negative
    assertEquals(Map.of("jit_compiler", 0.0, "gc", 200 / 1e6, "event_loops", 0.0, "mock", 0.0, "other", 0.0),
        ThreadCpu.deltaMs(a, b));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
