package llmbench.compare;

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
import llmbench.results.LevelResult;
import llmbench.results.LevelSpread;
import llmbench.results.ResultFiles;
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
   * (a repeated level's: the mean over its runs), the per-request samples (ms) that the within-run
   * noise tests use (a repeated level's runs pooled), and each run's values (one for a level run once).
   */
  public record Level(String label, String profile, int inputLen, int outputLen, int concurrency,
      Map<String, Double> values, Map<String, double[]> samples, String requestRate, List<Map<String, Double>> runs) {

    /** A level run once. */
    public Level(String label, String profile, int inputLen, int outputLen, int concurrency,
        Map<String, Double> values, Map<String, double[]> samples, String requestRate) {
      this(label, profile, inputLen, outputLen, concurrency, values, samples, requestRate, List.of(values));
    }

    /** Each run's value of {@code metric} (runs that lack it left out). */
    public double[] runValues(String metric) {
      return runs.stream().map(r -> r.get(metric)).filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue)
          .toArray();
    }

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

  /** A folder or a file; a clear error when it holds no results. */
  public static RunResults load(Path path, String name) throws IOException {
    if (!Files.exists(path)) {
      throw new IllegalArgumentException(path + " does not exist: give a sweep's output folder or a result JSON");
    }
    List<LevelResult> ours = Files.isDirectory(path) ? ResultFiles.full(path) : List.of();
    Map<LevelResult, String> theirs = new LinkedHashMap<>();
    if (ours.isEmpty()) {
      for (Path f : jsonFiles(path)) {
        LevelResult r = ResultFiles.readAny(f);
        if (r != null && !r.ours() && r.ttfts() != null) {
          theirs.put(r, f.getFileName().toString());
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
    // a repeated profile's runs of one level are one level here, its runs side by side
    Map<String, List<LevelResult>> byLevel = new LinkedHashMap<>();
    for (LevelResult r : ours) {
      model = model == null ? r.modelId() : model;
      byLevel.computeIfAbsent(r.profile() + "\u0000" + r.level(), k -> new ArrayList<>()).add(r);
    }
    Map<String, Double> peak = peaks;
    for (List<LevelResult> runs : byLevel.values()) {
      List<Level> each = runs.stream().sorted(Comparator.comparingInt(LevelResult::run))
          .map(r -> level(r, r.name(), r.profile(), peak.get(r.name()))).toList();
      levels.add(each.size() == 1 ? each.get(0) : repeated(each));
    }
    for (Map.Entry<LevelResult, String> e : theirs.entrySet()) {
      model = model == null ? e.getKey().modelId() : model;
      levels.add(level(e.getKey(), e.getValue(), "vllm", null));
    }
    levels.sort(Comparator.comparing(Level::profile).thenComparingInt(Level::concurrency));
    return new RunResults(name, path, model, levels, engine);
  }

  /** One level of several runs: the runs' mean of each value, their samples pooled, each run's values kept. */
  private static Level repeated(List<Level> runs) {
    Level first = runs.get(0);
    Map<String, Double> mean = new LinkedHashMap<>();
    for (String k : first.values().keySet()) {
      double[] v = runs.stream().map(l -> l.values().get(k)).filter(java.util.Objects::nonNull)
          .mapToDouble(Double::doubleValue).toArray();
      mean.put(k, java.util.Arrays.stream(v).average().orElse(Double.NaN));
    }
    Map<String, double[]> pooled = new LinkedHashMap<>();
    for (String k : first.samples().keySet()) {
      pooled.put(k, runs.stream().flatMapToDouble(l -> java.util.Arrays.stream(l.samples().get(k))).toArray());
    }
    return new Level(first.label(), first.profile(), first.inputLen(), first.outputLen(), first.concurrency(), mean,
        pooled, first.requestRate(), runs.stream().map(Level::values).toList());
  }

  private static List<Path> jsonFiles(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> s = Files.list(path)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  /** vLLM's own files hold measured lengths only, and no concurrency when it was unlimited. */
  private static Level level(LevelResult r, String label, String profile, Double peakGpu) {
    int in = r.randomInputLen() != null ? r.randomInputLen() : (int) Math.round(mean(r.inputLens()));
    int out = r.randomOutputLen() != null ? r.randomOutputLen() : (int) Math.round(mean(r.outputLens()));
    int concurrency = r.maxConcurrency() != null ? r.maxConcurrency() : r.numPrompts();
    Map<String, Double> values = new LinkedHashMap<>();
    for (String k : Metrics.KEYS) {
      Double v = value(r, k);
      if (v != null) {
        values.put(k, v);
      }
    }
    if (peakGpu != null) {
      values.put(Metrics.PEAK_GPU, peakGpu);
    }
    return new Level(label, profile, in, out, concurrency, values, samples(r), r.rateText());
  }

  /** A compared value: one of vLLM's throughputs or statistics. */
  private static Double value(LevelResult r, String key) {
    return switch (key) {
      case "request_goodput" -> r.requestGoodput();
      case "max_output_tokens_per_s" -> r.maxOutputTokensPerS();
      case "failed" -> (double) r.failed();
      default -> LevelSpread.value(r, key);
    };
  }

  /** At most this many pooled ITL samples per level are kept (every k-th beyond). */
  static final int MAX_ITL_SAMPLES = 200_000;

  /**
   * Per successful request: TTFT, TPOT and E2EL, in ms (vLLM's definitions), and every ITL gap pooled,
   * as vLLM pools them for its ITL statistics.
   */
  private static Map<String, double[]> samples(LevelResult r) {
    List<Double> ttft = new ArrayList<>();
    List<Double> tpot = new ArrayList<>();
    List<Double> itl = new ArrayList<>();
    List<Double> e2el = new ArrayList<>();
    for (int i = 0; i < r.ttfts().length; i++) {
      if (r.failed(i)) {
        continue;
      }
      double t = r.ttfts()[i] * 1000;
      double l = r.latencies()[i] * 1000;
      int n = r.outputLens()[i];
      ttft.add(t);
      e2el.add(l);
      if (n > 1) {
        tpot.add(llmbench.stats.VllmMetrics.tpot(t, l, n));
      }
      for (double g : r.itls()[i]) {
        itl.add(g * 1000);
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
    s.put("ttfo", ttfos(r));
    s.put("ttft", ttft.stream().mapToDouble(Double::doubleValue).toArray());
    s.put("tpot", tpot.stream().mapToDouble(Double::doubleValue).toArray());
    s.put("itl", itl.stream().mapToDouble(Double::doubleValue).toArray());
    s.put("e2el", e2el.stream().mapToDouble(Double::doubleValue).toArray());
    return s;
  }

  /** A reasoning model's TTFO per successful request that reached its answer, ms; none for the others. */
  private static double[] ttfos(LevelResult r) {
    if (!(r.other().get("ttfos") instanceof List<?> list)) {
      return new double[0];
    }
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!r.failed(i) && list.get(i) instanceof Number n && n.doubleValue() > 0) {
        ms.add(n.doubleValue() * 1000);
      }
    }
    return ms.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double mean(int[] a) {
    return a == null || a.length == 0 ? 0 : java.util.Arrays.stream(a).average().orElse(0);
  }
}
