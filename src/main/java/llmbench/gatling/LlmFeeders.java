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
import llmbench.prompt.BlockPrompts;
import llmbench.prompt.ImageMix;
import llmbench.prompt.NoiseImages;
import llmbench.prompt.PromptBuilder;
import llmbench.prompt.TextTokenizer;
import llmbench.replay.TraceEntry;
import llmbench.replay.TraceWindow;
import llmbench.workload.Dataset;
import llmbench.workload.LevelPlan;

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

  /**
   * A trace replayed at its own times (FIELD_NOTES §21): {@code "mooncake:FILE"}, {@code "timed_trace:FILE"},
   * {@code "azure:FILE"} or {@code "burstgpt:FILE"}. Each entry in turn: {@code prompt} (exactly the entry's
   * input tokens, its hash ids as shared blocks), {@code promptTokens}, {@code outputTokens} and
   * {@code arrivalMs} (after the first, over the speed-up). Inject {@link TracePrompts#count()} users at
   * once and give each {@code .pause(trace.untilArrival())} after its feed:
   * <pre>{@code
   * TracePrompts trace = LlmFeeders.trace("mooncake:conversation.jsonl").speedup(2);
   * scenario("replay").feed(trace).pause(trace.untilArrival())
   *     .exec(llm("ask").completion("#{prompt}").maxTokens("#{outputTokens}").ignoreEos());
   * setUp(replay.injectOpen(atOnceUsers(trace.count())))
   * }</pre>
   */
  public static TracePrompts trace(String dataset) {
    Dataset.Spec spec;
    try {
      spec = Dataset.Spec.parse(dataset);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("LlmFeeders.trace: " + e.getMessage());
    }
    if (spec.trace() == null) {
      throw new IllegalArgumentException("LlmFeeders.trace: give a trace (mooncake:FILE, timed_trace:FILE, azure:FILE, "
          + "burstgpt:FILE), not " + dataset);
    }
    return new TracePrompts(spec, TextTokenizer.DEFAULT_DIR, 0, 1.0, TraceWindow.ALL, null);
  }

  /**
   * {@code images}: a list of {@code data:} URLs of fresh noise images for every request, {@code count}
   * of them ({@code "3"}, or {@code "2-4"} drawn per request) of {@code sizes} ({@code "512x512,1024x768"},
   * or weighted {@code "512x512:3,1024x768:1"}); send them with {@code .image("#{images}")}.
   */
  public static ImageMixFeed images(String sizes, String count) {
    return new ImageMixFeed(ImageMix.parse(sizes, count, NoiseImages.Format.PNG), 0);
  }

  /**
   * {@code adapter}: the LoRA adapter each request asks for, as the sweep's {@code --lora-modules} and
   * {@code --lora-assignment} spread them ({@code "a,b,c"} in turn, {@code "a:0.5,b:0.3,c:0.2"} drawn by
   * weight); send it with {@code .model("#{adapter}")}. Each level's results then have a row per adapter.
   */
  public static Supplier<Iterator<Map<String, Object>>> adapters(String modules, String assignment, long seed) {
    llmbench.prompt.Adapters a = llmbench.prompt.Adapters.parse(modules, assignment, seed);
    return () -> new Iterator<>() {
      private long i;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Map<String, Object> next() {
        return Map.of("adapter", a.pick(i++));
      }
    };
  }

  /** The same, in turn ({@code "a,b,c"}), or by weight ({@code "a:0.5,b:0.5"}) with seed 0. */
  public static Supplier<Iterator<Map<String, Object>>> adapters(String modules) {
    return adapters(modules, null, 0);
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
      // made ahead on a thread of its own: a line's image files are read there, never on an event loop
      return new Ahead<>("llmbench-dataset", i -> {
        Dataset.Entry e = entries.get((int) (i % entries.size()));
        Map<String, Object> m = new LinkedHashMap<>();
        if (e.prompt() != null) {
          m.put("prompt", e.prompt());
        } else {
          m.put("messages", e.messages().toString());
        }
        m.put("promptTokens", e.promptTokens());
        m.put("outputTokens", e.outputTokens());
        if (!e.images().isEmpty()) {
          m.put("images", e.images().stream().map(llmbench.prompt.ImageFiles::dataUrl).toList());
        }
        return m;
      });
    }
  }

  /** A trace's entries ({@link #trace}). */
  public static final class TracePrompts implements Supplier<Iterator<Map<String, Object>>> {
    private final Dataset.Spec spec;
    private final Path tokenizer;
    private final long seed;
    private final double speedup;
    private final TraceWindow window;
    private final Integer blockSize;
    /** When the first entry was fed: the replay's zero ({@code nanoTime}); 0 before. */
    private final java.util.concurrent.atomic.AtomicLong zeroNs = new java.util.concurrent.atomic.AtomicLong();
    private volatile List<TraceEntry> entries;

    TracePrompts(Dataset.Spec spec, Path tokenizer, long seed, double speedup, TraceWindow window, Integer blockSize) {
      this.spec = spec;
      this.tokenizer = tokenizer;
      this.seed = seed;
      this.speedup = speedup;
      this.window = window;
      this.blockSize = blockSize;
    }

    public TracePrompts tokenizer(String folder) {
      return new TracePrompts(spec, Path.of(folder), seed, speedup, window, blockSize);
    }

    public TracePrompts seed(long s) {
      return new TracePrompts(spec, tokenizer, s, speedup, window, blockSize);
    }

    /** Time runs {@code x} times faster (2: each entry at half its time). */
    public TracePrompts speedup(double x) {
      if (!(x > 0) || Double.isInfinite(x)) {
        throw new IllegalArgumentException("LlmFeeders.trace: speedup must be > 0, not " + x);
      }
      return new TracePrompts(spec, tokenizer, seed, x, window, blockSize);
    }

    /** Only the entries from {@code startS} to {@code endS} after the first (null: to the end), at most {@code max} (null: all). */
    public TracePrompts window(double startS, Double endS, Integer max) {
      return new TracePrompts(spec, tokenizer, seed, speedup, new TraceWindow(startS, endS, max), blockSize);
    }

    /** Tokens per hash id (default: Mooncake 512, timed_trace 16). */
    public TracePrompts blockSize(int tokens) {
      return new TracePrompts(spec, tokenizer, seed, speedup, window, tokens);
    }

    /** The entries to replay: as many users to inject. */
    public int count() {
      return entries().size();
    }

    /** A user's pause from its feed to its entry's time (Gatling pauses in whole milliseconds). */
    public java.util.function.Function<io.gatling.javaapi.core.Session, java.time.Duration> untilArrival() {
      return session -> {
        long due = zeroNs.get() + Math.round(((Number) session.get("arrivalMs")).doubleValue() * 1e6);
        return java.time.Duration.ofNanos(Math.max(0, due - System.nanoTime()));
      };
    }

    private List<TraceEntry> entries() {
      if (entries == null) {
        synchronized (this) {
          if (entries == null) {
            try {
              entries = llmbench.workload.TracePlan.check(spec, new llmbench.workload.TraceSpec(window, blockSize,
                  List.of(speedup))).entries();
            } catch (IOException e) {
              throw new UncheckedIOException("LlmFeeders.trace: cannot read " + spec.path(), e);
            }
          }
        }
      }
      return entries;
    }

    @Override
    public Iterator<Map<String, Object>> get() {
      List<TraceEntry> all = entries();
      TextTokenizer tok = load(tokenizer, "trace");
      int size = blockSize != null ? blockSize : Math.max(1, spec.trace().defaultBlockSize());
      BlockPrompts prompts = new BlockPrompts(tok, seed, size);
      double first = all.get(0).arrivalS();
      Iterator<Map<String, Object>> made = new Ahead<>("llmbench-trace", i -> {
        TraceEntry e = all.get((int) (i % all.size()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt", prompts.text(e.hashIds(), e.inputLen(), i, i / all.size()));
        m.put("promptTokens", e.inputLen());
        m.put("outputTokens", e.outputLen());
        m.put("arrivalMs", (e.arrivalS() - first) / speedup * 1000);
        return m;
      });
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public Map<String, Object> next() {
          Map<String, Object> m = made.next();
          // the replay starts with the first feed, once the users injected with it are out (as a sweep's level)
          zeroNs.compareAndSet(0, System.nanoTime() + LevelPlan.releaseLeadNs(all.size()));
          return m;
        }
      };
    }
  }

  /** Several noise images per request ({@link #images}). */
  public static final class ImageMixFeed implements Supplier<Iterator<Map<String, Object>>> {
    private final ImageMix mix;
    private final long seed;

    ImageMixFeed(ImageMix mix, long seed) {
      this.mix = mix;
      this.seed = seed;
    }

    /** {@code png} (default) or {@code jpeg}. */
    public ImageMixFeed format(String format) {
      NoiseImages.Format f = NoiseImages.Format.parse(format);
      return new ImageMixFeed(new ImageMix(mix.buckets().stream().map(b -> new ImageMix.Bucket(
          new NoiseImages.Spec(b.spec().width(), b.spec().height(), f), b.weight())).toList(), mix.minImages(),
          mix.maxImages()), seed);
    }

    public ImageMixFeed seed(long s) {
      return new ImageMixFeed(mix, s);
    }

    @Override
    public Iterator<Map<String, Object>> get() {
      return new Ahead<>("llmbench-images", i -> Map.of("images", mix.dataUrls(seed * 7_919L + i)));
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
