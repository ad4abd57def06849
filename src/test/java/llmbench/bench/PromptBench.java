package llmbench.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbench.prompt.PromptBuilder;
import llmbench.prompt.TextTokenizer;
import llmbench.testutil.Tokenizers;

/** Tokenizer load time and prompt building for the seed's largest levels, medians of 3 runs. */
final class PromptBench {
  private PromptBench() {}

  static List<Map<String, Object>> run() {
    List<Map<String, Object>> rows = new ArrayList<>();
    List<Path> dirs = new ArrayList<>();
    for (Path p : Tokenizers.shared()) {
      if (p.endsWith("gpt2") || p.endsWith("qwen2.5")) {
        dirs.add(p);
      }
    }
    dirs.add(null); // the built-in tokenizer
    for (Path dir : dirs) {
      double[] load = new double[3];
      double[] high = new double[3];
      double[] medium = new double[3];
      String name = dir == null ? "built-in" : dir.getFileName().toString();
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        try (TextTokenizer tok = dir == null ? TextTokenizer.builtin() : TextTokenizer.load(dir)) {
          load[i] = (System.nanoTime() - t0) / 1e6;
          PromptBuilder b = new PromptBuilder(tok, i);
          t0 = System.nanoTime();
          b.build(10, 16384 - 2048);
          high[i] = (System.nanoTime() - t0) / 1e6;
          t0 = System.nanoTime();
          b.build(128, 200);
          medium[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("tokenizer", name);
      r.put("load_ms", median(load));
      r.put("high_10x14336_ms", median(high));
      r.put("medium_128x200_ms", median(medium));
      rows.add(r);
      System.out.printf("prompts %-9s: load %.0f ms, high 10 x 14336 %.0f ms, medium 128 x 200 %.0f ms%n",
          name, median(load), median(high), median(medium));
    }
    return rows;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
