package llmbench.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import llmbench.testutil.Tokenizers;
import org.junit.jupiter.api.Test;

class PromptBuilderTest {
  static void checkExact(TextTokenizer tok, int... lengths) {
    PromptBuilder b = new PromptBuilder(tok, 7);
    Set<String> seen = new HashSet<>();
    for (int len : lengths) {
      for (int i = 0; i < 3; i++) {
        String p = b.build(len);
        assertEquals(len, tok.count(p, true), tok.source() + " at " + len);
        for (long id : tok.encode(p, false)) {
          assertFalse(tok.isSpecial(id), "special token in a prompt");
        }
        assertFalse(!seen.add(p), "duplicate prompt");
      }
    }
  }

  @Test
  void builtinTokenizerAddsBosAndPromptsAreExact() {
    try (TextTokenizer tok = TextTokenizer.builtin()) {
      assertEquals(1, tok.specialTokensAdded());
      checkExact(tok, 2, 50, 100, 200, 2000);
    }
  }

  @Test
  void realTokenizersGiveExactCounts() {
    for (Path dir : Tokenizers.sharedOrSkip()) {
      try (TextTokenizer tok = TextTokenizer.load(dir)) {
        checkExact(tok, 50, 100, 200, 4096);
        if (dir.endsWith("mistral-7b")) {
          assertEquals(1, tok.specialTokensAdded());
        } else {
          assertEquals(0, tok.specialTokensAdded());
        }
      }
    }
  }

  @Test
  void longPromptsAreNotTruncatedAt512() {
    List<Path> dirs = Tokenizers.shared();
    try (TextTokenizer tok = dirs.isEmpty() ? TextTokenizer.builtin() : TextTokenizer.load(dirs.get(0))) {
      String p = new PromptBuilder(tok, 1).build(14336);
      assertEquals(14336, tok.count(p, true));
    }
  }

  @Test
  void sameSeedSamePrompts() {
    try (TextTokenizer tok = TextTokenizer.builtin()) {
      assertEquals(new PromptBuilder(tok, 3).build(5, 100), new PromptBuilder(tok, 3).build(5, 100));
    }
  }

  @Test
  void refusesALengthWithNoRoomForText() {
    try (TextTokenizer tok = TextTokenizer.builtin()) {
      assertThrows(IllegalArgumentException.class, () -> new PromptBuilder(tok, 1).build(1));
    }
  }

  /** Every prompt of a prefix starts with its exact tokens (what the server's block hashes see), then differs. */
  static void checkSharedPrefix(TextTokenizer tok) {
    PromptBuilder b = new PromptBuilder(tok, 3);
    long[][] heads = {b.prefix(96, 0), b.prefix(96, 1)};
    assertEquals(96, heads[0].length);
    Set<List<Long>> starts = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      long[] head = heads[i % 2];
      String text = b.buildText(head, 160, i);
      long[] ids = tok.encode(text, false);
      assertEquals(160, ids.length, tok.source() + " prompt " + i);
      assertEquals(java.util.Arrays.toString(head), java.util.Arrays.toString(java.util.Arrays.copyOf(ids, 96)),
          tok.source() + ": prompt " + i + " does not start with its prefix's tokens");
      List<Long> after = new java.util.ArrayList<>();
      for (int j = 96; j < 112; j++) {
        after.add(ids[j]);
      }
      assertFalse(!starts.add(after), "two prompts share their first block after the prefix");
    }
    assertFalse(java.util.Arrays.equals(heads[0], heads[1]), "two prefixes are the same");
    assertThrows(IllegalArgumentException.class, () -> b.buildText(heads[0], 96, 99));
  }

  @Test
  void sharedPrefixesAreExactOnEveryTokenizer() {
    try (TextTokenizer tok = TextTokenizer.builtin()) {
      checkSharedPrefix(tok);
    }
    for (Path dir : Tokenizers.shared()) {
      try (TextTokenizer tok = TextTokenizer.load(dir)) {
        checkSharedPrefix(tok);
      }
    }
  }
}
