package llmbench.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrefixCacheTest {
  private Scheduler scheduler;

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.stop();
    }
  }

  private static long[] ids(long from, int n) {
    return LongStream.range(from, from + n).toArray();
  }

  private static long[] concat(long[] a, long[] b) {
    return LongStream.concat(LongStream.of(a), LongStream.of(b)).toArray();
  }

  @Test
  void aBlockHitsOnlyWhenEverythingBeforeItIsTheSame() {
    PrefixCache cache = new PrefixCache(16, 1000);
    long[] shared = ids(0, 64);
    cache.insert(PrefixCache.blockHashes(concat(shared, ids(1000, 40)), 16));
    // same 64-token prefix, another tail: 4 blocks hit, the tail's blocks do not
    assertEquals(64, cache.cachedTokens(PrefixCache.blockHashes(concat(shared, ids(5000, 40)), 16), 104));
    // the same second block after another first block: chained hashes, no hit at all
    long[] otherStart = concat(ids(9000, 16), ids(16, 48));
    assertEquals(0, cache.cachedTokens(PrefixCache.blockHashes(otherStart, 16), 64));
    // a partial last block is never cached; a prompt of whole blocks all cached still computes its last token,
    // and vLLM computes in whole blocks: its last block again
    assertEquals(96, cache.cachedTokens(PrefixCache.blockHashes(concat(shared, ids(1000, 40)), 16), 104));
    long[] whole = concat(shared, ids(3000, 48));
    cache.insert(PrefixCache.blockHashes(whole, 16));
    assertEquals(96, cache.cachedTokens(PrefixCache.blockHashes(whole, 16), 112));
    assertEquals(6, PrefixCache.blockHashes(ids(0, 100), 16).length, "a partial block has no hash");
  }

  @Test
  void leastRecentlyUsedBlocksGoFirst() {
    PrefixCache cache = new PrefixCache(16, 4);
    long[] a = PrefixCache.blockHashes(ids(0, 64), 16);
    cache.insert(a);
    assertEquals(64, cache.cachedTokens(a, 100));
    cache.insert(PrefixCache.blockHashes(ids(500, 32), 16)); // two new blocks push out a's oldest two
    assertEquals(0, cache.cachedTokens(a, 100), "a's first block was evicted: nothing after it counts");
  }

  @Test
  void aCachedPrefixSkipsItsPrefillAndIsCounted() throws Exception {
    // 100 tokens per step: a 250-token prompt prefills in 3 steps; the same prompt again has 240 of
    // its tokens (15 full blocks) cached and its first token comes out of its first step
    MockMetrics metrics = new MockMetrics();
    scheduler = new Scheduler(MockConfig.builder().maxNumBatchedTokens(100).stepModel(StepModel.fixed(2)).build(),
        metrics, null);
    scheduler.start();
    long[] hashes = PrefixCache.blockHashes(ids(0, 250), 16);
    SchedulerTest.Capture first = new SchedulerTest.Capture();
    Sequence a = new Sequence("a", 250, 2, 0, true, System.nanoTime(), 1, first);
    a.blockHashes = hashes;
    scheduler.submit(a);
    assertTrue(first.done.await(5, TimeUnit.SECONDS));
    Thread.sleep(20);
    assertEquals(4, scheduler.steps(), "3 prefill steps, 1 decode step");
    SchedulerTest.Capture second = new SchedulerTest.Capture();
    Sequence b = new Sequence("b", 250, 2, 0, true, System.nanoTime(), 1, second);
    b.blockHashes = hashes;
    scheduler.submit(b);
    assertTrue(second.done.await(5, TimeUnit.SECONDS));
    Thread.sleep(20);
    assertEquals(6, scheduler.steps(), "1 prefill step of the 10 uncached tokens, 1 decode step");
    String text = metrics.render(MockConfig.builder().build());
    assertTrue(text.contains("vllm:prefix_cache_queries_total{model_name=\"mock/llmbench-8b\"} 500.0"), text);
    assertTrue(text.contains("vllm:prefix_cache_hits_total{model_name=\"mock/llmbench-8b\"} 240.0"), text);
  }
}
