package llmbench.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real tokenizers in ../shared/tokenizers, when that folder is beside the checkout. */
public final class Tokenizers {
  private Tokenizers() {}

  /** The shared tokenizers; the calling test is skipped (not passed) when none is there. */
  public static List<Path> sharedOrSkip() {
    List<Path> dirs = shared();
    org.junit.jupiter.api.Assumptions.assumeFalse(dirs.isEmpty(),
        "needs the real tokenizers in ../shared/tokenizers (beside the checkout in CI)");
    return dirs;
  }

  public static List<Path> shared() {
    List<Path> out = new ArrayList<>();
    for (String name : List.of("gpt2", "mistral-7b", "qwen2.5")) {
      Path dir = Path.of("..", "shared", "tokenizers", name);
      if (Files.isRegularFile(dir.resolve("tokenizer.json"))) {
        out.add(dir);
      }
    }
    return out;
  }
}
