package llmbench.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import llmbench.config.ShardConfig;
import llmbench.trace.ShardTimes;
import llmbench.workload.Shard;
import org.junit.jupiter.api.Test;

/** The level barrier over real HTTP on loopback: shards start together, late ones are not waited for forever. */
class BarrierTest {
  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static ShardConfig config(int index, int count, int port, int timeoutS) {
    return new ShardConfig(new Shard(index, count), "127.0.0.1", port, Duration.ofSeconds(timeoutS), null);
  }

  @Test
  void everyShardStartsAtTheSameInstant() throws Exception {
    int port = freePort();
    try (Barrier zero = Barrier.open(config(0, 3, port, 30), 7);
         Barrier one = Barrier.open(config(1, 3, port, 30), 7);
         Barrier two = Barrier.open(config(2, 3, port, 30), 7)) {
      for (String level : List.of("low c001 start", "low c001 end", "low c004 start")) {
        CompletableFuture<Long> a = CompletableFuture.supplyAsync(() -> one.arrive(level));
        Thread.sleep(200); // one waits for the others
        assertTrue(!a.isDone(), "shard 1 went on before shards 0 and 2 arrived");
        CompletableFuture<Long> b = CompletableFuture.supplyAsync(() -> two.arrive(level));
        long at0 = zero.arrive(level);
        long at1 = a.get(10, TimeUnit.SECONDS);
        long at2 = b.get(10, TimeUnit.SECONDS);
        // one JVM, one clock: the three starts are one instant, within the offsets' round trips
        // each start is right within half the round trip of the exchange its offset came from
        long bound = Math.max(one.times().offsetRttNs(), two.times().offsetRttNs()) / 2 + 1_000_000;
        assertTrue(Math.abs(at1 - at0) <= bound, level + ": shard 1 starts " + (at1 - at0) / 1e6 + " ms from shard 0");
        assertTrue(Math.abs(at2 - at0) <= bound, level + ": shard 2 starts " + (at2 - at0) / 1e6 + " ms from shard 0");
        assertTrue(at0 > System.nanoTime() - 1_000_000_000L, "the start lies ahead of the release, not in the past");
      }
      // the sweep's end: each shard tells shard 0 where its results are
      CompletableFuture<Long> a = CompletableFuture.supplyAsync(() -> one.arrive("sweep done", "/results/shard-1"));
      CompletableFuture<Long> b = CompletableFuture.supplyAsync(() -> two.arrive("sweep done", "/results/shard 2"));
      zero.arrive("sweep done", "/results/shard-0");
      a.get(10, TimeUnit.SECONDS);
      b.get(10, TimeUnit.SECONDS);
      assertEquals(java.util.Map.of(0, "/results/shard-0", 1, "/results/shard-1", 2, "/results/shard 2"),
          zero.notes("sweep done"));
      assertEquals(java.util.Map.of(), one.notes("sweep done"), "only shard 0 holds them");
      ShardTimes t = two.times();
      assertEquals(4, t.meetings().size());
      assertEquals(zero.times().sweepId(), t.sweepId(), "shard 0 names the sweep for all");
      assertTrue(t.meetings().stream().allMatch(m -> m.problem() == null && m.arrived().equals(List.of(0, 1, 2))));
      assertTrue(Math.abs(t.offsetNs()) <= t.offsetRttNs() / 2 + 100_000, "one clock: offset " + t.offsetNs() + " ns");
    }
  }

  @Test
  void shardZeroTellsEveryShardWhatItFound() throws Exception {
    int port = freePort();
    try (Barrier zero = Barrier.open(config(0, 2, port, 30), 7);
         Barrier one = Barrier.open(config(1, 2, port, 30), 7)) {
      CompletableFuture<Long> a = CompletableFuture.supplyAsync(() -> one.arrive("sweep start"));
      Thread.sleep(100); // the other shard comes first, as pods do
      zero.arrive("sweep start", "{\"model\": \"m\"}");
      a.get(10, TimeUnit.SECONDS);
      assertEquals("{\"model\": \"m\"}", one.told("sweep start"));
      assertEquals("{\"model\": \"m\"}", zero.told("sweep start"));
      assertNull(one.told("low c001 start"));
    }
  }

  @Test
  void aShardThatNeverArrivesIsWaitedForOnceThenTheLevelIsPartial() throws Exception {
    int port = freePort();
    try (Barrier zero = Barrier.open(config(0, 3, port, 1), 7);
         Barrier one = Barrier.open(config(1, 3, port, 1), 7)) {
      long t0 = System.nanoTime();
      CompletableFuture<Long> a = CompletableFuture.supplyAsync(() -> one.arrive("low c001 start"));
      zero.arrive("low c001 start");
      a.get(10, TimeUnit.SECONDS);
      double waited = (System.nanoTime() - t0) / 1e9;
      assertTrue(waited >= 0.9 && waited < 5, "waited " + waited + " s for shard 2 (timeout 1 s)");
      ShardTimes.Meeting m = zero.times().meetings().get(0);
      assertEquals(List.of(0, 1), m.arrived());
      assertTrue(m.problem().contains("shard [2] of 3 did not arrive within 1 s"), m.problem());
      // the next level does not wait for the lost shard again
      t0 = System.nanoTime();
      CompletableFuture<Long> b = CompletableFuture.supplyAsync(() -> one.arrive("low c004 start"));
      zero.arrive("low c004 start");
      b.get(10, TimeUnit.SECONDS);
      assertTrue((System.nanoTime() - t0) / 1e9 < 0.9, "waited again for a shard that was gone");
      assertNull(zero.times().meetings().get(1).problem());
    }
  }

  @Test
  void noShardZeroMeansTheLevelStartsAloneAfterTheTimeout() throws Exception {
    try (Barrier one = Barrier.open(config(1, 2, freePort(), 1), 7)) {
      long t0 = System.nanoTime();
      assertEquals(0, one.arrive("low c001 start"), "starts at once");
      double waited = (System.nanoTime() - t0) / 1e9;
      assertTrue(waited >= 0.9 && waited < 5, "waited " + waited + " s (timeout 1 s)");
      assertTrue(one.times().meetings().get(0).problem().contains("not reachable"), one.times().meetings().toString());
    }
  }
}
