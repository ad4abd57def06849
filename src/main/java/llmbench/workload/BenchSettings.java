package llmbench.workload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import llmbench.prompt.NoiseImages;
import llmbench.stats.Slo;
import llmbench.stats.VllmMetrics;

/**
 * The run's parameters, read once from system properties ({@code -Dllm.*}; names starting with
 * {@code user.} or {@code java.} would not reach Gatling's forked JVM). See the README's table.
 */
public record BenchSettings(
    String baseUrl,
    String model,
    String apiKey,
    Path tokenizerDir,
    String endpoint,
    Integer inputLen,
    Integer outputLen,
    List<Integer> levels,
    int rounds,
    int timeoutSeconds,
    Integer maxModelLen,
    List<Double> percentiles,
    List<String> percentileMetrics,
    Slo goodput,
    long seed,
    boolean mock,
    double mockTimeScale,
    Path outputDir,
    Path gatlingResults,
    int warmupRequests,
    NoiseImages.Spec image,
    boolean clientWarmup,
    boolean keepAlive,
    int metricsIntervalMs,
    boolean progress,
    List<Double> requestRates,
    double burstiness,
    Integer maxConcurrency,
    int numPrompts,
    int prefixLen,
    int numPrefixes,
    boolean flushCache,
    Dataset.Spec dataset,
    int turns,
    int thinkTimeMs) {

  /** Requests per open-model level when {@code llm.numPrompts} is not given. */
  public static final int DEFAULT_NUM_PROMPTS = 200;

  /** A seed for a run that did not ask for one: a fresh one, so no run re-sends an earlier run's prompts. */
  public static long freshSeed() {
    return new java.security.SecureRandom().nextInt(Integer.MAX_VALUE - 1) + 1;
  }

  public static BenchSettings fromSystemProperties() {
    return fromSystemProperties(Map.of());
  }

  /** With a workload profile's own settings ({@code llm.*} keys) over the system properties. */
  public static BenchSettings fromSystemProperties(Map<String, String> profileSettings) {
    Map<String, String> props = new java.util.HashMap<>(System.getProperties().entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(e -> e.getKey().toString(), e -> e.getValue().toString())));
    props.putAll(profileSettings);
    return from(props, System.getenv());
  }

  public static BenchSettings from(Map<String, String> props, Map<String, String> env) {
    Function<String, String> p = k -> {
      String v = props.get("llm." + k);
      return v == null || v.isBlank() ? null : v.trim();
    };
    String url = firstNonNull(p.apply("url"), env.get("OPENAI_BASE_URL"), "http://localhost:8000");
    url = url.replaceAll("/+$", "").replaceAll("/v1$", "");
    String endpoint = firstNonNull(p.apply("endpoint"), "completions");
    if (!endpoint.equals("completions") && !endpoint.equals("chat")) {
      throw new IllegalArgumentException("llm.endpoint must be completions or chat, not '" + endpoint + "'");
    }
    String metrics = firstNonNull(p.apply("percentileMetrics"), String.join(",", VllmMetrics.DEFAULT_PERCENTILE_METRICS));
    List<String> metricList = Arrays.asList(metrics.split("\\s*,\\s*"));
    for (String m : metricList) {
      if (!VllmMetrics.DEFAULT_PERCENTILE_METRICS.contains(m)) {
        throw new IllegalArgumentException("llm.percentileMetrics: unknown metric '" + m + "' (use ttft,tpot,itl,e2el)");
      }
    }
    BenchSettings s = new BenchSettings(
        url,
        p.apply("model"),
        env.get("OPENAI_API_KEY"),
        p.apply("tokenizer") == null ? null : Path.of(p.apply("tokenizer")),
        endpoint,
        intOrNull(p.apply("input"), "llm.input"),
        intOrNull(p.apply("output"), "llm.output"),
        p.apply("levels") == null ? null : ints(p.apply("levels"), "llm.levels"),
        positive(firstNonNull(p.apply("rounds"), "1"), "llm.rounds"),
        positive(firstNonNull(p.apply("timeout"), "600"), "llm.timeout"),
        intOrNull(p.apply("maxModelLen"), "llm.maxModelLen"),
        doubles(firstNonNull(p.apply("percentiles"), "99"), "llm.percentiles"),
        metricList,
        Slo.parse(p.apply("goodput")),
        p.apply("seed") == null ? freshSeed() : seed(p.apply("seed")),
        Boolean.parseBoolean(firstNonNull(p.apply("mock"), "false")),
        Double.parseDouble(firstNonNull(p.apply("mockTimeScale"), "1.0")),
        Path.of(firstNonNull(p.apply("out"), "output")),
        Path.of(firstNonNull(p.apply("gatlingResults"), "target/gatling")),
        atLeastZero(firstNonNull(p.apply("warmup"), "2"), "llm.warmup"),
        new NoiseImages.Spec(positive(firstNonNull(p.apply("imageWidth"), "512"), "llm.imageWidth"),
            positive(firstNonNull(p.apply("imageHeight"), "512"), "llm.imageHeight"),
            NoiseImages.Format.parse(firstNonNull(p.apply("imageFormat"), "png"))),
        Boolean.parseBoolean(firstNonNull(p.apply("clientWarmup"), "true")),
        connections(firstNonNull(p.apply("connections"), "keep-alive")),
        atLeastZero(firstNonNull(p.apply("metricsInterval"), "1000"), "llm.metricsInterval"),
        Boolean.parseBoolean(firstNonNull(p.apply("progress"), "false")),
        rates(p.apply("requestRate")),
        openOnly(p, "burstiness", () -> Double.parseDouble(p.apply("burstiness")), 1.0),
        openOnly(p, "maxConcurrency", () -> positive(p.apply("maxConcurrency"), "llm.maxConcurrency"), null),
        openOnly(p, "numPrompts", () -> positive(p.apply("numPrompts"), "llm.numPrompts"), DEFAULT_NUM_PROMPTS),
        p.apply("prefixLen") == null ? 0 : atLeastZero(p.apply("prefixLen"), "llm.prefixLen"),
        numPrefixes(p),
        Boolean.parseBoolean(firstNonNull(p.apply("flushCache"), "false")),
        Dataset.Spec.parse(p.apply("dataset")),
        p.apply("turns") == null ? 1 : positive(p.apply("turns"), "llm.turns"),
        p.apply("thinkTimeMs") == null ? 0 : atLeastZero(p.apply("thinkTimeMs"), "llm.thinkTimeMs"));
    if (s.turns > 1 && (s.open() || !s.dataset.random())) {
      throw new IllegalArgumentException("--turns runs chat sessions in concurrency levels with random prompts: "
          + "leave out --request-rate and --dataset");
    }
    if (s.turns > 1 && "completions".equals(p.apply("endpoint"))) {
      throw new IllegalArgumentException("--turns sends conversations to /v1/chat/completions: leave out --endpoint completions");
    }
    if (s.turns == 1 && s.thinkTimeMs > 0) {
      throw new IllegalArgumentException("--think-time-ms is the pause between a session's turns: give --turns 2 or more");
    }
    if (!s.dataset.random() && s.prefixLen > 0) {
      throw new IllegalArgumentException("--prefix-len shares a prefix among random prompts: leave it out with --dataset "
          + s.dataset.kind());
    }
    if (s.open()) {
      s.requestRates.forEach(r -> new Arrivals(r, s.burstiness, s.maxConcurrency)); // its checks, before anything runs
    }
    return s;
  }

  /** An open-model setting: given without {@code llm.requestRate} it would be ignored, so it is an error. */
  private static <T> T openOnly(Function<String, String> p, String key, java.util.function.Supplier<T> value, T dflt) {
    if (p.apply(key) == null) {
      return dflt;
    }
    if (p.apply("requestRate") == null) {
      throw new IllegalArgumentException("llm." + key + " (--" + key.replaceAll("([A-Z])", "-$1").toLowerCase()
          + ") applies to request-rate levels only: give llm.requestRate (--request-rate) too");
    }
    try {
      return value.get();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("llm." + key + ": '" + p.apply(key) + "' is not a number");
    }
  }

  private static List<Double> rates(String v) {
    if (v == null) {
      return null;
    }
    List<Double> out = new ArrayList<>();
    for (String r : v.split("\\s*,\\s*")) {
      out.add(Arrivals.parseRate(r));
    }
    if (out.stream().distinct().count() != out.size()) {
      throw new IllegalArgumentException("llm.requestRate lists a rate twice: '" + v + "'");
    }
    return out;
  }

  private static int numPrefixes(Function<String, String> p) {
    if (p.apply("numPrefixes") == null) {
      return 1;
    }
    if (p.apply("prefixLen") == null || p.apply("prefixLen").equals("0")) {
      throw new IllegalArgumentException("llm.numPrefixes (--num-prefixes) needs a shared prefix: give llm.prefixLen (--prefix-len) too");
    }
    return positive(p.apply("numPrefixes"), "llm.numPrefixes");
  }

  private static long seed(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("llm.seed must be a whole number, not '" + v + "'");
    }
  }

  /** True when the levels are request rates (open model) rather than concurrencies. */
  public boolean open() {
    return requestRates != null;
  }

  /** {@code keep-alive} (default: each user keeps its connection) or {@code per-request}. */
  private static boolean connections(String v) {
    return switch (v) {
      case "keep-alive" -> true;
      case "per-request" -> false;
      default -> throw new IllegalArgumentException("llm.connections must be keep-alive or per-request, not '" + v + "'");
    };
  }

  /** The profile with this run's overrides applied. */
  public Profile apply(Profile profile) {
    if (levels != null && requestRates != null) {
      throw new IllegalArgumentException("give concurrency levels (llm.levels) or request rates (llm.requestRate), not both");
    }
    Profile p = profile.withLengths(inputLen, outputLen);
    return levels == null ? p : p.withLevels(levels);
  }

  /** Chat: asked for, or a multi-turn session (a conversation is a chat). */
  public boolean chat() {
    return endpoint.equals("chat") || turns > 1;
  }

  @SafeVarargs
  private static <T> T firstNonNull(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static Integer intOrNull(String v, String name) {
    return v == null ? null : positive(v, name);
  }

  private static int positive(String v, String name) {
    try {
      int i = Integer.parseInt(v);
      if (i < 1) {
        throw new NumberFormatException();
      }
      return i;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a positive integer, not '" + v + "'");
    }
  }

  private static int atLeastZero(String v, String name) {
    return v.equals("0") ? 0 : positive(v, name + " (0 for none)");
  }

  private static List<Integer> ints(String v, String name) {
    List<Integer> out = new ArrayList<>();
    for (String s : v.split("\\s*,\\s*")) {
      out.add(positive(s, name));
    }
    return out;
  }

  private static List<Double> doubles(String v, String name) {
    List<Double> out = new ArrayList<>();
    for (String s : v.split("\\s*,\\s*")) {
      try {
        double d = Double.parseDouble(s);
        if (d <= 0 || d >= 100) {
          throw new NumberFormatException();
        }
        out.add(d);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + ": '" + s + "' is not a percentile between 0 and 100");
      }
    }
    return out;
  }
}
