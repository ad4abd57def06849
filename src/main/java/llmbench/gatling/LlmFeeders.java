package llmbench.gatling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import llmbench.prompt.NoiseImages;
import llmbench.prompt.PromptBuilder;
import llmbench.prompt.TextTokenizer;
import llmbench.workload.Dataset;

/**
 * Feeders for LLM scenarios, the same prompts and images the sweep sends, seeded so that a run
 * repeats: {@code .feed(LlmFeeders.randomPrompts(100))} gives each user a {@code #{prompt}} of
 * exactly 100 tokens. Prompts and images are made ahead on a thread of their own, never on the
 * event loops that time the streams. Each is a builder: {@code .tokenizer(DIR)}, {@code .seed(N)}.
 */
public final class LlmFeeders {
  private LlmFeeders() {}

  /**
   * {@code prompt}: random vocabulary that the tokenizer counts as exactly {@code tokens} (special tokens
   * included, as vLLM's random dataset), a new one for every request; {@code promptTokens}: that count.
   */
  public static RandomPrompts randomPrompts(int tokens) {
    if (tokens < 1) {
      throw new IllegalArgumentException("LlmFeeders.randomPrompts: tokens must be >= 1, not " + tokens);
    }
    return new RandomPrompts(tokens, TextTokenizer.DEFAULT_DIR, 0);
  }

  /**
   * ShareGPT's conversations as vLLM's benchmark samples them (its filter, its first turn):
   * {@code prompt}, {@code promptTokens} and {@code outputTokens} (the first answer's length).
   */
  public static DatasetPrompts sharegpt(String file) {
    return new DatasetPrompts(new Dataset.Spec("sharegpt", Path.of(file)), TextTokenizer.DEFAULT_DIR, 0, 1000, null);
  }

  /**
   * A JSONL file, one request a line: {@code prompt} (or OpenAI {@code messages}) and optionally
   * {@code output_tokens}; fed as {@code prompt} or {@code messages}, {@code promptTokens}, {@code outputTokens}.
   */
  public static DatasetPrompts jsonl(String file) {
    return new DatasetPrompts(new Dataset.Spec("jsonl", Path.of(file)), TextTokenizer.DEFAULT_DIR, 0, 1000, null);
  }

  /** {@code image}: a {@code data:} URL of a new random-noise image for every request (PNG, or {@code .format("jpeg")}). */
  public static NoiseImageFeed noiseImages(int width, int height) {
    return new NoiseImageFeed(new NoiseImages.Spec(width, height, NoiseImages.Format.PNG), 0);
  }

  /** Exact-length random prompts ({@link #randomPrompts}). */
  public static final class RandomPrompts implements Supplier<Iterator<Map<String, Object>>> {
    private final int tokens;
    private final Path tokenizer;
    private final long seed;

    RandomPrompts(int tokens, Path tokenizer, long seed) {
      this.tokens = tokens;
      this.tokenizer = tokenizer;
      this.seed = seed;
    }

    /** The served model's tokenizer folder (default {@code fake_model/}). */
    public RandomPrompts tokenizer(String folder) {
      return new RandomPrompts(tokens, Path.of(folder), seed);
    }

    /** The same seed gives the same prompts, run after run. */
    public RandomPrompts seed(long s) {
      return new RandomPrompts(tokens, tokenizer, s);
    }

    @Override
    public Iterator<Map<String, Object>> get() {
      TextTokenizer tok = load(tokenizer, "randomPrompts");
      PromptBuilder prompts = new PromptBuilder(tok, seed * 1_000_003L + tokens);
      return new Ahead<>("llmbench-prompts", i -> Map.of("prompt", prompts.build(tokens, i), "promptTokens", tokens));
    }
  }

  /** A dataset's prompts ({@link #sharegpt}, {@link #jsonl}). */
  public static final class DatasetPrompts implements Supplier<Iterator<Map<String, Object>>> {
    private final Dataset.Spec spec;
    private final Path tokenizer;
    private final long seed;
    private final int count;
    private final Integer outputTokens;

    DatasetPrompts(Dataset.Spec spec, Path tokenizer, long seed, int count, Integer outputTokens) {
      this.spec = spec;
      this.tokenizer = tokenizer;
      this.seed = seed;
      this.count = count;
      this.outputTokens = outputTokens;
    }

    public DatasetPrompts tokenizer(String folder) {
      return new DatasetPrompts(spec, Path.of(folder), seed, count, outputTokens);
    }

    public DatasetPrompts seed(long s) {
      return new DatasetPrompts(spec, tokenizer, s, count, outputTokens);
    }

    /** How many entries to sample (default 1000); they are fed in turn, then again from the first. */
    public DatasetPrompts count(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("LlmFeeders." + spec.kind() + ": count must be >= 1, not " + n);
      }
      return new DatasetPrompts(spec, tokenizer, seed, n, outputTokens);
    }

    /** Every request's output length, instead of the file's own. */
    public DatasetPrompts outputTokens(int n) {
      return new DatasetPrompts(spec, tokenizer, seed, count, n);
    }

    @Override
    public Iterator<Map<String, Object>> get() {
      if (!Files.isRegularFile(spec.path())) {
        throw new IllegalArgumentException("LlmFeeders." + spec.kind() + ": no such file " + spec.path());
      }
      List<Dataset.Entry> entries;
      try (TextTokenizer tok = load(tokenizer, spec.kind())) {
        entries = Dataset.sample(spec, tok, count, seed, outputTokens, 256, Integer.MAX_VALUE).entries();
      } catch (IOException e) {
        throw new UncheckedIOException("LlmFeeders." + spec.kind() + ": cannot read " + spec.path(), e);
      }
      return new Iterator<>() {
        private int next;

        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public Map<String, Object> next() {
          Dataset.Entry e = entries.get(next++ % entries.size());
          Map<String, Object> m = new LinkedHashMap<>();
          if (e.prompt() != null) {
            m.put("prompt", e.prompt());
          } else {
            m.put("messages", e.messages().toString());
          }
          m.put("promptTokens", e.promptTokens());
          m.put("outputTokens", e.outputTokens());
          return m;
        }
      };
    }
  }

  /** Random-noise images ({@link #noiseImages}). */
  public static final class NoiseImageFeed implements Supplier<Iterator<Map<String, Object>>> {
    private final NoiseImages.Spec spec;
    private final long seed;

    NoiseImageFeed(NoiseImages.Spec spec, long seed) {
      this.spec = spec;
      this.seed = seed;
    }

    /** {@code png} (default) or {@code jpeg}. */
    public NoiseImageFeed format(String format) {
      return new NoiseImageFeed(new NoiseImages.Spec(spec.width(), spec.height(), NoiseImages.Format.parse(format)), seed);
    }

    public NoiseImageFeed seed(long s) {
      return new NoiseImageFeed(spec, s);
    }

    @Override
    public Iterator<Map<String, Object>> get() {
      return new Ahead<>("llmbench-images", i -> Map.of("image", NoiseImages.dataUrl(spec, seed * 7_919L + i)));
    }
  }

  private static TextTokenizer load(Path dir, String feeder) {
    if (!TextTokenizer.hasTokenizer(dir)) {
      throw new IllegalArgumentException("LlmFeeders." + feeder + ": no tokenizer.json in " + dir
          + "/: copy the served model's tokenizer.json there, or name its folder with .tokenizer(DIR)");
    }
    return TextTokenizer.load(dir);
  }

  /**
   * Items made on a thread of their own, a few hundred ahead of the users, so that none is made on an
   * event loop; a user waits only when it runs ahead of the maker. Endless.
   */
  private static final class Ahead<T> implements Iterator<T> {
    private final BlockingQueue<Object> made = new ArrayBlockingQueue<>(256);

    Ahead(String name, LongFunction<T> make) {
      Thread t = new Thread(() -> {
        try {
          for (long i = 0; ; i++) {
            Object item;
            try {
              item = make.apply(i);
            } catch (RuntimeException e) {
              made.put(e); // the user that takes it fails with the maker's words
              return;
            }
            made.put(item);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, name);
      t.setDaemon(true);
      t.start();
    }

    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
      Object o;
      try {
        o = made.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the next item", e);
      }
      if (o instanceof RuntimeException e) {
        made.offer(e); // every later user learns it too
        throw e;
      }
      return (T) o;
    }
  }
}
