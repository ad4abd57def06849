package llmbench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import llmbench.report.MemUsage;
import llmbench.report.ResultFiles;
import llmbench.server.GpuSample;
import llmbench.server.GpuSamplesCsv;

/**
 * One run to compare: a sweep's output folder (ours, fresh or archived), or result files written by
 * vLLM's own {@code vllm bench serve --save-result} (a file, or a folder of them), with each level's
 * values and per-request samples.
 */
public record RunResults(String name, Path path, String model, List<Level> levels, Map<String, String> engine) {

  /**
   * One level: its lengths and concurrency, our level name (or vLLM's file name), the values compared
   * and the per-request samples (ms) that the noise tests use.
   */
  public record Level(String label, String profile, int inputLen, int outputLen, int concurrency,
      Map<String, Double> values, Map<String, double[]> samples, String requestRate) {

    /**
     * Same shape: same concurrency and request rate ("inf" for closed-model levels, as vLLM writes
     * them), lengths within 2 % (a vLLM file holds measured, not requested, lengths).
     */
    public boolean matches(Level o) {
      return concurrency == o.concurrency && requestRate.equals(o.requestRate) && close(inputLen, o.inputLen)
          && close(outputLen, o.outputLen);
    }

    private static boolean close(int a, int b) {
      return Math.abs(a - b) <= Math.max(2, 0.02 * Math.max(a, b));
    }

    public String shape() {
      return inputLen + " in / " + outputLen + " out, " + (requestRate.equals("inf") ? "" : requestRate + " req/s, ")
          + "concurrency " + concurrency;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A folder or a file; a clear error when it holds no results. */
  public static RunResults load(Path path, String name) throws IOException {
    if (!Files.exists(path)) {
      throw new IllegalArgumentException(path + " does not exist: give a sweep's output folder or a result JSON");
    }
    List<JsonNode> ours = Files.isDirectory(path) ? ResultFiles.read(path) : List.of();
    List<JsonNode> theirs = new ArrayList<>();
    if (ours.isEmpty()) {
      for (Path f : jsonFiles(path)) {
        JsonNode n = readOrNull(f);
        if (n != null && n.has("ttfts") && n.has("num_prompts") && !n.has("tool")) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("llmbench_file", f.getFileName().toString());
          theirs.add(n);
        }
      }
    }
    if (ours.isEmpty() && theirs.isEmpty()) {
      throw new IllegalArgumentException(path + " holds no level results (ours or vLLM's --save-result files)");
    }
    Map<String, Double> peaks = Map.of();
    Map<String, String> engine = Map.of();
    if (!ours.isEmpty()) {
      List<GpuSample> gpu = GpuSamplesCsv.read(path.resolve(GpuSamplesCsv.FILE_NAME));
      List<MemUsage.Window> windows = ours.stream().map(MemUsage.Window::of).toList();
      peaks = MemUsage.peakPerWindow(gpu, windows);
      engine = EngineFacts.read(path.resolve("engine_params.txt"));
    }
    List<Level> levels = new ArrayList<>();
    String model = null;
    for (JsonNode r : ours.isEmpty() ? theirs : ours) {
      model = model == null ? r.path("model_id").asText() : model;
      levels.add(level(r, peaks.get(label(r))));
    }
    levels.sort(Comparator.comparing(Level::profile).thenComparingInt(Level::concurrency));
    return new RunResults(name, path, model, levels, engine);
  }

  private static List<Path> jsonFiles(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> s = Files.list(path)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static JsonNode readOrNull(Path f) {
    try {
      return JSON.readTree(f.toFile());
    } catch (IOException e) {
      return null;
    }
  }

  private static String label(JsonNode r) {
    return r.has("tool") ? r.path("profile").asText() + " " + r.path("level").asText() : r.path("llmbench_file").asText();
  }

  private static Level level(JsonNode r, Double peakGpu) {
    boolean ours = r.has("tool");
    int in = r.has("random_input_len") ? r.get("random_input_len").asInt()
        : (int) Math.round(mean(r.path("input_lens")));
    int out = r.has("random_output_len") ? r.get("random_output_len").asInt()
        : (int) Math.round(mean(r.path("output_lens")));
    int concurrency = r.path("max_concurrency").isNumber() ? r.get("max_concurrency").asInt() : r.path("num_prompts").asInt();
    Map<String, Double> values = new LinkedHashMap<>();
    for (String k : Metrics.KEYS) {
      JsonNode v = r.get(k);
      if (v != null && v.isNumber()) {
        values.put(k, v.asDouble());
      }
    }
    if (peakGpu != null) {
      values.put(Metrics.PEAK_GPU, peakGpu);
    }
    String rate = r.path("request_rate").isNumber() ? new java.math.BigDecimal(r.get("request_rate").asText()).stripTrailingZeros().toPlainString() : "inf";
    return new Level(label(r), ours ? r.path("profile").asText() : "vllm", in, out, concurrency, values, samples(r), rate);
  }

  /** At most this many pooled ITL samples per level are kept (every k-th beyond). */
  static final int MAX_ITL_SAMPLES = 200_000;

  /**
   * Per successful request: TTFT, TPOT and E2EL, in ms (vLLM's definitions), and every ITL gap pooled,
   * as vLLM pools them for its ITL statistics.
   */
  private static Map<String, double[]> samples(JsonNode r) {
    List<Double> ttft = new ArrayList<>();
    List<Double> tpot = new ArrayList<>();
    List<Double> itl = new ArrayList<>();
    List<Double> e2el = new ArrayList<>();
    JsonNode errors = r.path("errors");
    for (int i = 0; i < r.path("ttfts").size(); i++) {
      if (!errors.path(i).asText("").isEmpty()) {
        continue;
      }
      double t = r.path("ttfts").path(i).asDouble() * 1000;
      double l = r.path("latencies").path(i).asDouble() * 1000;
      int n = r.path("output_lens").path(i).asInt();
      ttft.add(t);
      e2el.add(l);
      if (n > 1) {
        tpot.add(llmbench.stats.VllmMetrics.tpot(t, l, n));
      }
      for (JsonNode g : r.path("itls").path(i)) {
        itl.add(g.asDouble() * 1000);
      }
    }
    if (itl.size() > MAX_ITL_SAMPLES) {
      int step = (itl.size() + MAX_ITL_SAMPLES - 1) / MAX_ITL_SAMPLES;
      List<Double> kept = new ArrayList<>();
      for (int i = 0; i < itl.size(); i += step) {
        kept.add(itl.get(i));
      }
      itl = kept;
    }
    Map<String, double[]> s = new LinkedHashMap<>();
    s.put("ttft", ttft.stream().mapToDouble(Double::doubleValue).toArray());
    s.put("tpot", tpot.stream().mapToDouble(Double::doubleValue).toArray());
    s.put("itl", itl.stream().mapToDouble(Double::doubleValue).toArray());
    s.put("e2el", e2el.stream().mapToDouble(Double::doubleValue).toArray());
    return s;
  }

  private static double mean(JsonNode a) {
    double sum = 0;
    for (JsonNode v : a) {
      sum += v.asDouble();
    }
    return a.size() == 0 ? 0 : sum / a.size();
  }
}
