package llmbench.prompt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Random-token prompts of an exact token count, as vLLM's random dataset builds them
 * (vllm/benchmarks/datasets.py, gen_prompt_decode_to_target_len): draw non-special vocabulary ids,
 * decode, re-encode and correct until the server-side count (special tokens included) is exact.
 */
public final class PromptBuilder {
  private static final int MAX_TRIES = 20;
  /** vLLM's prefix cache works in 16-token blocks: prompts must differ in their first block. */
  private static final int PREFIX_BLOCK = 16;

  private final TextTokenizer tokenizer;
  private final long seed;
  private final Set<List<Long>> prefixes = ConcurrentHashMap.newKeySet();
  private final AtomicLong next = new AtomicLong();

  public PromptBuilder(TextTokenizer tokenizer, long seed) {
    this.tokenizer = tokenizer;
    this.seed = seed;
  }

  /** A prompt that the tokenizer counts as exactly {@code totalTokens} tokens, special tokens included. */
  public String build(int totalTokens) {
    return build(totalTokens, next.getAndIncrement());
  }

  /**
   * The prompt number {@code index}: the same for the same seed and index whatever the thread or
   * order, so that a level's prompts can be built in parallel and still repeat run after run.
   */
  public String build(int totalTokens, long index) {
    return buildText(totalTokens - tokenizer.specialTokensAdded(), index);
  }

  /** A text of exactly {@code target} tokens without special tokens (e.g. to go inside a chat template). */
  public String buildText(int target) {
    return buildText(target, next.getAndIncrement());
  }

  public String buildText(int target, long index) {
    return buildText(new long[0], target, index);
  }

  /**
   * A text of exactly {@code target} tokens whose first tokens are exactly {@code head} (a shared
   * prefix, as the tokenizer encodes it alone: {@link #prefix}), the rest random and unique; a merge
   * across the seam that would change the head's tokens is drawn again, so that every prompt of a
   * prefix shares its blocks in the server's prefix cache.
   */
  public String buildText(long[] head, int target, long index) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    if (target < 1 || target <= head.length) {
      throw new IllegalArgumentException("the input length leaves no room for text after the "
          + "tokens the tokenizer or chat template adds" + (head.length > 0 ? " and the shared prefix" : ""));
    }
    for (int attempt = 0; attempt < 50; attempt++) {
      String text = exact(head, target, random);
      if (text == null) {
        continue;
      }
      long[] ids = tokenizer.encode(text, false);
      // unique where the prompts start to differ: vLLM's prefix cache works in 16-token blocks
      List<Long> start = new ArrayList<>(PREFIX_BLOCK);
      for (int i = head.length; i < Math.min(head.length + PREFIX_BLOCK, ids.length); i++) {
        start.add(ids[i]);
      }
      if (prefixes.add(start)) {
        return text;
      }
    }
    throw new IllegalStateException("could not build a unique prompt of " + target
        + " tokens with tokenizer " + tokenizer.source());
  }

  /** Shared prefix number {@code k} of {@code tokens} tokens: its token ids (for {@link #buildText(long[], int, long)}). */
  public long[] prefix(int tokens, int k) {
    return tokenizer.encode(buildText(tokens, -1L - k), false);
  }

  /** {@code count} prompts, built in parallel (each seeded by its index: the same list every time). */
  public List<String> build(int count, int totalTokens) {
    long first = next.getAndAdd(count);
    return java.util.stream.IntStream.range(0, count).parallel()
        .mapToObj(i -> build(totalTokens, first + i)).toList();
  }

  private String exact(long[] head, int target, SplittableRandom random) {
    long[] ids = Arrays.copyOf(head, target);
    long[] tail = randomIds(target - head.length, random);
    System.arraycopy(tail, 0, ids, head.length, tail.length);
    for (int tries = 0; tries < MAX_TRIES; tries++) {
      String text = tokenizer.decode(ids);
      long[] again = tokenizer.encode(text, false);
      if (!Arrays.equals(again, 0, Math.min(head.length, again.length), head, 0, head.length)) {
        return null; // the seam merged into the prefix: draw another tail
      }
      if (again.length == target) {
        return text;
      }
      if (again.length > target) {
        ids = Arrays.copyOf(again, target);
      } else {
        long[] extra = randomIds(target - again.length, random);
        ids = Arrays.copyOf(again, target);
        System.arraycopy(extra, 0, ids, again.length, extra.length);
      }
    }
    return null;
  }

  private long[] randomIds(int n, SplittableRandom random) {
    long[] ids = new long[n];
    int vocab = tokenizer.vocabSize();
    for (int i = 0; i < n; i++) {
      long id;
      do {
        id = random.nextInt(vocab);
      } while (tokenizer.isSpecial(id));
      ids[i] = id;
    }
    return ids;
  }
}
