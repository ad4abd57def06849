package llmbench.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.Arrays;
import llmbench.testutil.Tokenizers;
import org.junit.jupiter.api.Test;

/** Trace prompts with shared blocks, through real tokenizers: exact lengths, shared tokens exactly where the ids are. */
class BlockPromptsTest {
  @Test
  void withTheBuiltinTokenizer() {
    check(TextTokenizer.builtin());
  }

  @Test
  void withGpt2MistralAndQwen() {
    for (Path dir : Tokenizers.sharedOrSkip()) {
      try (TextTokenizer tok = TextTokenizer.load(dir)) {
        check(tok);
      }
    }
  }

  private static void check(TextTokenizer tok) {
    BlockPrompts p = new BlockPrompts(tok, 42, 64);
    int special = tok.specialTokensAdded();
    String a = p.text(new long[] {1, 2, 3}, 150, 0, 0);
    String b = p.text(new long[] {1, 2, 9}, 170, 1, 0);
    String c = p.text(new long[] {1, 2}, 100, 2, 0); // ends inside block 2
    String other = p.text(new long[] {1, 2, 3}, 150, 0, 1); // another level's blocks
    long[] ia = tok.encode(a, true);
    long[] ib = tok.encode(b, true);
    long[] ic = tok.encode(c, true);
    assertEquals(150, ia.length, tok.source());
    assertEquals(170, ib.length);
    assertEquals(100, ic.length);
    assertEquals(128, common(ia, ib), "blocks 1 and 2 (the first with the added tokens) and no more");
    assertEquals(100, common(ia, ic));
    assertNotEquals(tok.encode(other, true)[special + 1], ia[special + 1]);
    assertEquals(0, p.inexact());
    assertArrayEquals(ia, tok.encode(p.text(new long[] {1, 2, 3}, 150, 0, 0), true), "the same text again");
  }

  private static int common(long[] x, long[] y) {
    int n = Arrays.mismatch(x, y);
    return n < 0 ? Math.min(x.length, y.length) : n;
  }
}
