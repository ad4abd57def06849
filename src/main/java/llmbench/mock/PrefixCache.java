package llmbench.mock;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * vLLM's automatic prefix caching (vllm/v1/core/kv_cache_utils.py, {@code hash_block_tokens}; the
 * lookup in {@code KVCacheManager.get_computed_blocks}): a prompt's full blocks are named by a hash
 * chained over every token before them, so a block hits only when the whole prefix up to it is the
 * same; a hit skips that block's prefill, and at least the last prompt token is always computed.
 * Least recently used blocks go first once the cache holds as many blocks as the KV cache. Used by
 * the scheduler thread only.
 */
final class PrefixCache {
  private final int blockSize;
  private final Map<Long, Boolean> blocks;

  PrefixCache(int blockSize, int capacityBlocks) {
    this.blockSize = blockSize;
    this.blocks = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
        return size() > capacityBlocks;
      }
    };
  }

  /** The chained hash of each full block of {@code ids} (a partial last block is never cached). */
  static long[] blockHashes(long[] ids, int blockSize) {
    long[] out = new long[ids.length / blockSize];
    long h = 0x243F6A8885A308D3L;
    for (int b = 0; b < out.length; b++) {
      for (int i = b * blockSize; i < (b + 1) * blockSize; i++) {
        h = mix(h ^ ids[i]);
      }
      out[b] = h;
    }
    return out;
  }

  private static long mix(long z) { // SplitMix64's finalizer: every input bit moves every output bit
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Prompt tokens already cached: the leading run of blocks found, whole blocks within {@code promptLen - 1}
   * (vLLM's {@code get_computed_blocks}: the last token is always computed, and the computed tokens must be
   * block-aligned, so a prompt cached whole recomputes its last block).
   */
  int cachedTokens(long[] hashes, int promptLen) {
    int most = Math.min(hashes.length, Math.max(0, promptLen - 1) / blockSize);
    int hit = 0;
    while (hit < most && blocks.get(hashes[hit]) != null) {
      hit++;
    }
    return hit * blockSize;
  }

  void clear() {
    blocks.clear();
  }

  /** The request's blocks are in the cache from its admission (vLLM caches blocks as it allocates them). */
  void insert(long[] hashes) {
    for (long h : hashes) {
      blocks.put(h, Boolean.TRUE);
    }
  }
}
