package llmbench.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  private Scheduler scheduler;
  private final MockMetrics metrics = new MockMetrics();

  /** Records what the engine sampled for one sequence. */
  static final class Capture implements Sequence.Output {
    final List<Long> due = Collections.synchronizedList(new ArrayList<>());
    final List<String> finish = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch done = new CountDownLatch(1);

    @Override
    public Sequence.Delivery prepareChunk(int first, int count, String finishReason, long dueNs) {
      return new Sequence.Delivery(Runnable::run, () -> {
        for (int i = 0; i < count; i++) {
          due.add(dueNs);
        }
        if (finishReason != null) {
          finish.add(finishReason);
          done.countDown();
        }
      });
    }
  }

  private Scheduler start(MockConfig.Builder b) {
    scheduler = new Scheduler(b.build(), metrics, null);
    scheduler.start();
    return scheduler;
  }

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.stop();
    }
  }

  private static Sequence seq(String id, int prompt, int out, Capture c) {
    return new Sequence(id, prompt, out, 0, true, System.nanoTime(), 1, c);
  }

  @Test
  void runsAtMostMaxNumSeqsAndQueuesTheRest() throws Exception {
    start(MockConfig.builder().maxNumSeqs(4).stepModel(StepModel.fixed(1)));
    List<Capture> caps = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      caps.add(new Capture());
    }
    for (int i = 0; i < 8; i++) {
      scheduler.submit(seq("r" + i, 10, 5, caps.get(i)));
    }
    for (Capture c : caps) {
      assertTrue(c.done.await(5, TimeUnit.SECONDS));
      assertEquals(5, c.due.size());
      assertEquals(List.of("length"), c.finish);
    }
    // a request holds a slot at least from its first to its last token: never more than 4 at once
    List<long[]> events = new ArrayList<>();
    for (Capture c : caps) {
      events.add(new long[] {c.due.get(0), 1});
      events.add(new long[] {c.due.get(4), -1});
    }
    events.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
    int running = 0;
    int peak = 0;
    for (long[] e : events) {
      running += (int) e[1];
      peak = Math.max(peak, running);
    }
    assertTrue(peak <= 4, "more than max_num_seqs running: " + peak);
  }

  @Test
  void chunkedPrefillSharesTheTokenBudget() throws Exception {
    // budget 100 per step, prompt 250: prefill takes steps of 100, 100 and 50 tokens; the first
    // token comes out of the third step, then one token per step.
    start(MockConfig.builder().maxNumBatchedTokens(100).stepModel(StepModel.fixed(2)));
    Capture c = new Capture();
    long before = System.nanoTime();
    scheduler.submit(seq("long", 250, 3, c));
    assertTrue(c.done.await(5, TimeUnit.SECONDS));
    Thread.sleep(20);
    assertEquals(5, scheduler.steps(), "3 prefill steps (the last samples token 1), then 2 decode steps");
    assertTrue(c.due.get(0) - before >= 6_000_000L, "first token before 3 steps of 2 ms");
    assertTrue(c.due.get(1) - c.due.get(0) >= 2_000_000L);
    assertTrue(c.due.get(2) - c.due.get(1) >= 2_000_000L);
  }

  @Test
  void preemptsWhenKvBlocksRunOutAndStillFinishesEverything() throws Exception {
    // 10 blocks of 16 tokens; two requests of 64 + 64 tokens need 8 blocks each at the end.
    start(MockConfig.builder().numGpuBlocks(10).blockSize(16).stepModel(StepModel.fixed(0.2)));
    Capture a = new Capture();
    Capture b = new Capture();
    scheduler.submit(seq("a", 64, 64, a));
    scheduler.submit(seq("b", 64, 64, b));
    assertTrue(a.done.await(10, TimeUnit.SECONDS));
    assertTrue(b.done.await(10, TimeUnit.SECONDS));
    assertEquals(64, a.due.size());
    assertEquals(64, b.due.size());
    assertTrue(metrics.preemptions() > 0, "no preemption although the KV cache was too small");
  }

  @Test
  void stopsAtEosOnlyAfterMinTokensAndWithoutIgnoreEos() throws Exception {
    start(MockConfig.builder().eosProbability(1.0).stepModel(StepModel.fixed(0.2)));
    Capture c = new Capture();
    scheduler.submit(new Sequence("eos", 10, 50, 3, false, System.nanoTime(), 1, c));
    assertTrue(c.done.await(5, TimeUnit.SECONDS));
    assertEquals(3, c.due.size());
    assertEquals(List.of("stop"), c.finish);
  }

  @Test
  void decodeStepGrowsWithBatchAndContext() {
    StepModel m = StepModel.H100_8B;
    double one = m.stepMs(1, 512, 0, 0);
    double b64 = m.stepMs(64, 64L * 512, 0, 0);
    double b256 = m.stepMs(256, 256L * 512, 0, 0);
    assertEquals(5.9, one, 0.1);
    assertEquals(7.6, b64, 0.2);   // FIELD_NOTES §9: ~7.6 ms at 64
    assertEquals(13.0, b256, 0.8); // ~13.6 ms at 256
    assertEquals(29.0, m.stepMs(0, 0, 1024, 1024.0 * 1024), 1.0); // ~29 ms per 1,024 prompt tokens
    assertEquals(122.0, m.stepMs(0, 0, 4096, 4096.0 * 4096), 2.0); // ~122 ms per 4,096
  }
}
