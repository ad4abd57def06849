package llmbench.prompt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Prompts of a trace whose entries name their blocks (Mooncake's {@code hash_ids}, FIELD_NOTES §21):
 * each block id stands for the same {@code blockSize} random tokens wherever it recurs, so prompts that
 * share their leading ids share exactly those tokens, and the server's prefix cache sees the trace's
 * reuse. As AIPerf replays Mooncake, a new id gets a block of random tokens; here they are drawn from
 * whole-word tokens that the tokenizer gives back unchanged when the text is encoded again (a word
 * after a word never merges with it), so the server counts exactly the trace's input length and its
 * blocks fall where the trace's do. The first block holds the tokens the tokenizer adds (a BOS), as the
 * trace's counts do. Tokens past the entry's ids are unique to the request.
 */
public final class BlockPrompts {
  private static final Pattern WORD = Pattern.compile("^\\s?\\p{L}+$");
  private static final int POOL = 4096;

  private final TextTokenizer tokenizer;
  private final long seed;
  private final int blockSize;
  private final long[] pool;
  private final AtomicInteger inexact = new AtomicInteger();

  public BlockPrompts(TextTokenizer tokenizer, long seed, int blockSize) {
    this.tokenizer = tokenizer;
    this.seed = seed;
    this.blockSize = blockSize;
    this.pool = words(tokenizer, seed);
  }

  /**
   * The text of a prompt of {@code inputTokens} tokens (the tokenizer's added tokens included) whose
   * blocks are {@code hashIds}, then tokens unique to request {@code unique}; {@code salt} gives the
   * same ids other tokens (each level its own, so no level finds another's blocks in the cache).
   */
  public String text(long[] hashIds, int inputTokens, long unique, long salt) {
    int special = tokenizer.specialTokensAdded();
    int target = inputTokens - special;
    if (target < 1) {
      throw new IllegalArgumentException("an input of " + inputTokens + " tokens leaves no room for text after the "
          + special + " the tokenizer adds");
    }
    long[] ids = new long[target];
    int at = 0;
    for (int j = 0; j < hashIds.length && at < target; j++) {
      long[] block = block(hashIds[j], salt, j == 0 ? blockSize - special : blockSize);
      int n = Math.min(block.length, target - at);
      System.arraycopy(block, 0, ids, at, n);
      at += n;
    }
    int shared = at;
    SplittableRandom tail = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (unique * 31 + salt));
    for (int tries = 0; ; tries++) {
      for (int i = shared; i < target; i++) {
        ids[i] = pool[tail.nextInt(pool.length)];
      }
      String text = tokenizer.decode(ids);
      long[] again = tokenizer.encode(text, false);
      if (Arrays.equals(again, ids) || tries == 20 || shared == target && again.length == target) {
        if (!Arrays.equals(again, ids)) {
          inexact.incrementAndGet();
        }
        return text;
      }
    }
  }

  /** Prompts whose text the tokenizer did not encode back to their blocks' tokens exactly. */
  public int inexact() {
    return inexact.get();
  }

  /** The tokens of block {@code id} (its first {@code length}: the first block is shorter by the added tokens). */
  private long[] block(long id, long salt, int length) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id * 0xBF58476D1CE4E5B9L + salt);
    long[] out = new long[blockSize];
    for (int i = 0; i < blockSize; i++) {
      out[i] = pool[r.nextInt(pool.length)];
    }
    return Arrays.copyOf(out, length);
  }

  /**
   * Up to {@value #POOL} word tokens that encode back to themselves (drawn at random, seeded); the
   * whole non-special vocabulary where a tokenizer has too few (its prompts are then checked).
   */
  private static long[] words(TextTokenizer tok, long seed) {
    int vocab = tok.vocabSize();
    SplittableRandom r = new SplittableRandom(seed);
    java.util.Set<Long> found = new java.util.LinkedHashSet<>();
    boolean scan = vocab <= 4 * POOL; // a small vocabulary is read whole, in order
    for (int tries = 0; tries < (scan ? vocab : 50 * POOL) && found.size() < POOL; tries++) {
      long id = scan ? tries : r.nextInt(vocab);
      if (!tok.isSpecial(id) && word(tok, id)) {
        found.add(id);
      }
    }
    if (found.size() < 64) {
      found.clear();
      for (long id = 0; id < vocab; id++) {
        if (!tok.isSpecial(id)) {
          found.add(id);
        }
      }
    }
    return found.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * A whole word that starts with its space: two in a row decode with a space between them (a GPT-2
   * {@code " cat"}, a SentencePiece {@code "▁cat"}), not glued as a word piece ({@code "ing"}), and
   * encode back to the two.
   */
  private static boolean word(TextTokenizer tok, long id) {
    String s = tok.decode(new long[] {id});
    if (!WORD.matcher(s).matches() || !Arrays.equals(tok.encode(s, false), new long[] {id})) {
      return false;
    }
    String pair = tok.decode(new long[] {id, id});
    boolean spaced = Character.isWhitespace(s.charAt(0)) ? pair.equals(s + s) : pair.equals(s + " " + s);
    return spaced && Arrays.equals(tok.encode(pair, false), new long[] {id, id});
  }
}
