package llmbench.results;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One level's result file, as vLLM's {@code vllm bench serve --save-result --save-detailed} writes it
 * (vllm/benchmarks/serve.py, result_json), with our own keys where vLLM puts {@code --metadata}. The
 * post-processor writes it ({@link ResultWriter}); the summary, the report, the comparison and the
 * capacity search read it back through {@link ResultFiles}. vLLM's own files read as well: our keys
 * are then null.
 *
 * <p>The per-request arrays are null when read as a summary ({@link ResultFiles#summaries}). Keys
 * without a component here (the statistics {@code mean_ttft_ms}..{@code p99_e2el_ms}, the server's
 * {@code server_*}, the client's {@code client_*}, a plan's own facts) are in {@link #other}, in file
 * order.
 *
 * @param requestRate requests per second, {@link Double#POSITIVE_INFINITY} for vLLM's {@code "inf"}
 * @param arrivalSeed set for a request-rate level only
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LevelResult(
    String date,
    String endpointType,
    String backend,
    String modelId,
    String tokenizerId,
    int numPrompts,
    String tool,
    String profile,
    String level,
    Integer randomInputLen,
    Integer randomOutputLen,
    String gatlingRun,
    String baseUrl,
    Integer maxModelLen,
    Long arrivalSeed,
    Long levelStartEpochMs,
    Long levelEndEpochMs,
    Map<String, Integer> failuresByKind,
    List<String> warnings,
    @JsonDeserialize(using = RequestRate.Reader.class) Double requestRate,
    Double burstiness,
    Integer maxConcurrency,
    double duration,
    int completed,
    int failed,
    long totalInputTokens,
    long totalOutputTokens,
    double requestThroughput,
    Double requestGoodput,
    double outputThroughput,
    double totalTokenThroughput,
    int[] inputLens,
    int[] outputLens,
    double[] ttfts,
    double[][] itls,
    double[] latencies,
    double[] startTimes,
    List<String> generatedTexts,
    List<String> errors,
    Double maxOutputTokensPerS,
    Integer maxConcurrentRequests,
    @JsonAnySetter Map<String, Object> other) {

  public static final String TOOL = "gatling-llm-bench";
  /** A user's simulation's key: the request's name within its groups ({@code checkout / ask}). */
  public static final String REQUEST_NAME = "request_name";
  /** vLLM's four latency metrics, in its order. */
  public static final List<String> METRICS = List.of("ttft", "tpot", "itl", "e2el");
  private static final Pattern STAT = Pattern.compile(
      "(mean|median|std|p[0-9.]+)_(ttft|tpot|itl|e2el|ttfo|itl_per_token)_ms");

  public LevelResult {
    other = other == null ? new LinkedHashMap<>() : other;
  }

  /** One metric's statistics in ms (vLLM's mean/median/std and the percentiles reported, in order). */
  public record MetricStats(Double mean, Double median, Double std, Map<Double, Double> percentiles) {
    public Double percentile(double p) {
      return percentiles.get(p);
    }
  }

  /**
   * True for a statistic's key ({@code p99_ttft_ms}; ours: TTFO, per-token ITL), which vLLM writes after
   * the per-request arrays.
   */
  public static boolean isStatistic(String key) {
    return STAT.matcher(key).matches();
  }

  /** Written by this tool (vLLM's own files have no {@code tool}). */
  public boolean ours() {
    return TOOL.equals(tool);
  }

  /** A request-rate level (open model). */
  public boolean open() {
    return arrivalSeed != null;
  }

  /** "profile level", as the summary, the GPU windows and the report name a level. */
  public String name() {
    return profile + " " + level;
  }

  /** The statistics of {@code metric}; empty values when the file holds none. */
  public MetricStats stats(String metric) {
    Map<Double, Double> p = new LinkedHashMap<>();
    Double mean = null;
    Double median = null;
    Double std = null;
    for (Map.Entry<String, Object> e : other.entrySet()) {
      Matcher m = STAT.matcher(e.getKey());
      if (!m.matches() || !m.group(2).equals(metric) || !(e.getValue() instanceof Number n)) {
        continue;
      }
      switch (m.group(1)) {
        case "mean" -> mean = n.doubleValue();
        case "median" -> median = n.doubleValue();
        case "std" -> std = n.doubleValue();
        default -> p.put(Double.valueOf(m.group(1).substring(1)), n.doubleValue());
      }
    }
    return new MetricStats(mean, median, std, p);
  }

  /** The metrics whose statistics the file holds ({@code --percentile-metrics}), in vLLM's order. */
  public List<String> reportedMetrics() {
    List<String> out = new ArrayList<>();
    for (String m : METRICS) {
      if (other.containsKey("mean_" + m + "_ms")) {
        out.add(m);
      }
    }
    return out;
  }

  /** The percentiles reported for TTFT (every metric has the same), in order. */
  public List<Double> percentiles() {
    return new ArrayList<>(stats(reportedMetrics().isEmpty() ? "ttft" : reportedMetrics().get(0)).percentiles().keySet());
  }

  /** A number among the other keys, or null. */
  public Double number(String key) {
    return other.get(key) instanceof Number n ? n.doubleValue() : null;
  }

  /** The server's own view of the level (its /metrics: {@code server_*} keys), numbers and words. */
  public Map<String, Object> server() {
    Map<String, Object> s = new LinkedHashMap<>();
    other.forEach((k, v) -> {
      if (k.startsWith("server_") && (v instanceof Number || v instanceof String || v instanceof Boolean)) {
        s.put(k, v instanceof Number n ? n.doubleValue() : v.toString());
      }
    });
    return s;
  }

  /** vLLM's spelling of the rate: "4", "0.5" or "inf". */
  public String rateText() {
    return requestRate == null || requestRate.isInfinite() ? "inf"
        : new BigDecimal(Double.toString(requestRate)).stripTrailingZeros().toPlainString();
  }

  /** The request at {@code i} failed (vLLM: a non-empty error). */
  public boolean failed(int i) {
    return errors != null && i < errors.size() && errors.get(i) != null && !errors.get(i).isEmpty();
  }

  /** This result without its per-request arrays: what the summaries keep in memory. */
  public LevelResult summary() {
    return new LevelResult(date, endpointType, backend, modelId, tokenizerId, numPrompts, tool, profile, level,
        randomInputLen, randomOutputLen, gatlingRun, baseUrl, maxModelLen, arrivalSeed, levelStartEpochMs,
        levelEndEpochMs, failuresByKind, warnings, requestRate, burstiness, maxConcurrency, duration, completed, failed,
        totalInputTokens, totalOutputTokens, requestThroughput, requestGoodput, outputThroughput, totalTokenThroughput,
        null, null, null, null, null, null, null, null, maxOutputTokensPerS, maxConcurrentRequests, other);
  }

  /**
   * The seed's file name: {@code ${MODEL_NAME}_${IN}-${OUT}_${NUM_PROMPTS}.json}, MODEL_NAME = last path
   * segment; a request-rate level adds {@code _${RATE}qps}, {@code _b${BURSTINESS}} when not 1 and
   * {@code _mc${MAX_CONCURRENCY}} when capped, so it never takes a closed-model level's name; a
   * dataset's prompts put its name where the lengths were ({@code _sharegpt_}, {@code _jsonl-FILE_});
   * a repeated profile's runs after the first end in {@code _run2}, {@code _run3}...
   */
  public String fileName() {
    String model = modelId.substring(modelId.lastIndexOf('/') + 1);
    Object request = other.get(REQUEST_NAME);
    if (request != null) { // a user's simulation: the request's name (and groups) where the lengths were
      return safe(model) + "_" + safe(request.toString().replace(" / ", "-")) + "_" + numPrompts + ".json";
    }
    String rate = "";
    if (open()) {
      rate = "_" + scheduleText() + (burstiness == null || burstiness == 1.0 ? "" : "_b" + burstiness)
          + (maxConcurrency == null ? "" : "_mc" + maxConcurrency);
    }
    Object dataset = other.get("dataset_name");
    String lengths = dataset != null ? dataset.toString() : randomInputLen + "-" + randomOutputLen;
    return safe(model) + "_" + lengths + "_" + numPrompts + rate + (run() > 1 ? "_run" + run() : "") + ".json";
  }

  /** The key of a repeated run's number (from 1); absent when the levels ran once. */
  public static final String REPEAT_RUN = "repeat_run";

  /** Which run of a repeated profile this level's result is (1 when it ran once). */
  public int run() {
    return other.get(REPEAT_RUN) instanceof Number n ? n.intValue() : 1;
  }

  /**
   * A request-rate level's rate ({@code 4qps}), a ramp's ends ({@code ramp-linear-1-20qps}) or a
   * trace's speed-up ({@code x2}): what tells the open-model levels of one run apart.
   */
  public String scheduleText() {
    Object pattern = other.get("arrival_pattern");
    if ("trace".equals(pattern)) {
      return "x" + plain(other.get("trace_speedup"));
    }
    if ("ramp".equals(pattern)) {
      return "ramp-" + other.get("ramp_up_strategy") + "-" + plain(other.get("ramp_up_start_rps")) + "-"
          + plain(other.get("ramp_up_end_rps")) + "qps";
    }
    return rateText() + "qps";
  }

  private static String plain(Object number) {
    return number instanceof Number n ? new BigDecimal(Double.toString(n.doubleValue())).stripTrailingZeros()
        .toPlainString() : String.valueOf(number);
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
