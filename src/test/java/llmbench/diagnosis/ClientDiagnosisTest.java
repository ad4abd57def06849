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
    assertEquals(List.of(), ClientDiagnosis.disturbances(1000, 50, 20, 4.9, 30));
    List<String> lag = ClientDiagnosis.disturbances(1000, 0, 0, 6, 40);
    assertEquals(1, lag.size());
    assertTrue(lag.get(0).contains("ran up to 40.0 ms late (p99 6.0 ms;"), lag.get(0));
    assertTrue(ClientDiagnosis.disturbances(1000, 0, 0, 1, 60).get(0).contains("ran up to 60.0 ms late"), "one stall");
    assertTrue(ClientDiagnosis.disturbances(1000, 150, 0, 1, 1).get(0).contains("JIT compiler ran 150 ms inside this level (15 %"));
    assertTrue(ClientDiagnosis.disturbances(1000, 0, 150, 1, 1).get(0).contains("paused 150 ms for garbage collection"));
    // 150 ms of JIT in a 2 s level is under a tenth of a core; 150 ms of JIT or GC in 60 s is 0.25 %
    assertEquals(List.of(), ClientDiagnosis.disturbances(2000, 150, 0, 1, 1));
    assertEquals(List.of(), ClientDiagnosis.disturbances(60_000, 150, 150, 1, 1));
  }

  @Test
  void aBlockedLoopIsSeenAndACleanOneIsNot() throws Exception {
    DefaultEventLoop loop = new DefaultEventLoop();
    try (EventLoopProbe probe = new EventLoopProbe()) {
      probe.watch(loop);
      Thread.sleep(100);
      probe.reset();
      Thread.sleep(300);
      double[] clean = probe.lagsMs();
      assertTrue(clean.length >= 10, "a sample every " + EventLoopProbe.PERIOD_MS + " ms: " + clean.length);
      assertTrue(clean[clean.length - 1] < 20, "an idle loop runs its tasks on time: " + clean[clean.length - 1]);

      probe.reset();
      loop.submit(() -> sleep(80)).get(1, TimeUnit.SECONDS); // a level's loop busy for 80 ms
      Thread.sleep(50);
      double[] blocked = probe.lagsMs();
      assertTrue(blocked[blocked.length - 1] >= 60, "the probe due during the block ran late: " + blocked[blocked.length - 1]);
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  /** A loop blocked before the window opens is charged only with the part of the stall inside it. */
  @Test
  void aStallBeforeTheWindowCountsOnlyInsideIt() throws Exception {
    DefaultEventLoop loop = new DefaultEventLoop();
    try (EventLoopProbe probe = new EventLoopProbe()) {
      probe.watch(loop);
      Thread.sleep(50);
      var block = loop.submit(() -> sleep(150));
      Thread.sleep(90);
      probe.reset(); // while the loop is still blocked: about 60 of its 150 ms fall inside the window
      block.get(1, TimeUnit.SECONDS);
      Thread.sleep(100);
      double[] lags = probe.lagsMs();
      assertTrue(lags.length > 0 && lags[lags.length - 1] < 100, "the whole stall was counted: " + lags[lags.length - 1]);
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
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
