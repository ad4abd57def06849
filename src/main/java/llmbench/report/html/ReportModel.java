package llmbench.report.html;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import llmbench.report.MemUsage;
import llmbench.results.LevelResult;
import llmbench.results.LevelSpread;
import llmbench.results.ResultFiles;
import llmbench.report.SweepSummary;
import llmbench.server.GpuSample;
import llmbench.server.GpuSamplesCsv;
import llmbench.telemetry.MetricsScraper;
import llmbench.telemetry.ServerSeries;
import llmbench.telemetry.TelemetryCsv;

/**
 * Everything the sweep report shows, from an output folder alone (its level results, the copied
 * Gatling run folders with the server's metrics, the GPU samples, engine_params.txt), so that an
 * archived sweep renders as well as a fresh one. The page and the PNG charts both draw from this.
 */
public record ReportModel(
    String title,
    String percentile,
    List<Setting> settings,
    String engineParams,
    List<Link> gatlingReports,
    List<String> summaryHeader,
    List<LevelView> levels,
    Timeline timeline,
    String loadAxis,
    boolean reasoning,
    List<LevelSpread> spreads) {

  public record Setting(String name, String value) {}

  public record Link(String name, String href) {}

  /** mean, median and the report's percentile of one metric, ms. */
  public record Stat(Double mean, Double median, Double p) {}

  /** Counts between consecutive edges (ms, log-spaced). */
  public record Hist(List<Double> edges, List<Integer> counts) {}

  /** One request: start, first token and end, seconds since the level's start; ok false when it failed. */
  public record Bar(double start, double firstToken, double end, boolean ok) {}

  public record LevelView(String name, String profile, String level, int concurrency, int inputLen, int outputLen,
      double requestThroughput, double outputThroughput, double totalThroughput, int failed,
      Map<String, Stat> stats, List<String> cells, List<String> warnings, Map<String, Object> server,
      Hist ttftHist, Hist itlHist, List<Bar> requests, double load, String loadText, List<Window> windows) {}

  /**
   * A ramp's or a trace's window of time (the result's {@code load_windows}): the rate sent in it and the
   * TTFT of its requests, for the chart of latency against load within one level.
   */
  public record Window(@com.fasterxml.jackson.annotation.JsonProperty("achieved_rps") double achievedRps,
      @com.fasterxml.jackson.annotation.JsonProperty("median_ttft_ms") Double medianTtftMs,
      @com.fasterxml.jackson.annotation.JsonProperty("p99_ttft_ms") Double p99TtftMs) {}

  /** A level's span on the sweep's time axis (seconds since {@code t0EpochMs}). */
  public record Band(String name, double start, double end) {}

  /**
   * Series name → points [seconds since t0, value]; the client's series are per bin of
   * {@code binSeconds} (1 s, finer for a short sweep so that its levels still show a shape).
   */
  public record Timeline(long t0EpochMs, double binSeconds, List<Band> levels, Map<String, List<double[]>> series) {}

  /** vLLM's four; TTFO (a reasoning model's time to its answer) where a level has it. */
  static final List<String> METRICS = List.of("ttft", "tpot", "itl", "e2el", "ttfo");

  /** A folder's report; its repeated levels' intervals at the level its {@code spread.json} says (else 95 %). */
  public static ReportModel of(Path out) throws IOException {
    Path spread = out.resolve(LevelSpread.FILE_NAME);
    return of(out, ResultFiles.full(out), Files.isRegularFile(spread) ? LevelSpread.read(spread).confidenceLevel()
        : llmbench.stats.RunSpread.DEFAULT_CONFIDENCE);
  }

  /**
   * @param results the folder's level results with their per-request arrays, in the order they ran
   * @param confidence the level of a repeated level's interval over its runs (the charts' error bars)
   */
  public static ReportModel of(Path out, List<LevelResult> results, double confidence) throws IOException {
    if (results.isEmpty()) {
      throw new IllegalArgumentException(out + " holds no level results to report on");
    }
    String pct = percentileKey(results.get(0));
    List<GpuSample> gpu = GpuSamplesCsv.read(out.resolve(GpuSamplesCsv.FILE_NAME));
    List<MemUsage.Window> windows = results.stream().map(MemUsage.Window::of).toList();
    Map<String, Double> peaks = MemUsage.peakPerWindow(gpu, windows);
    List<LevelView> levels = new ArrayList<>();
    for (LevelResult r : results) {
      levels.add(level(r, pct, peaks.get(r.name())));
    }
    LevelResult first = results.get(0);
    List<Setting> settings = new ArrayList<>();
    setting(settings, "model_id", first.modelId());
    setting(settings, "tokenizer_id", first.tokenizerId());
    setting(settings, "endpoint_type", first.endpointType());
    setting(settings, "base_url", first.baseUrl());
    setting(settings, "max_model_len", first.maxModelLen());
    setting(settings, "backend", first.backend());
    for (String k : List.of("image_width", "image_height", "image_format", "server_metrics_engine", "server_metrics")) {
      setting(settings, k, first.other().get(k));
    }
    settings.add(new Setting("percentiles", pct));
    Path params = out.resolve("engine_params.txt");
    List<Link> links = new ArrayList<>();
    for (String run : results.stream().map(LevelResult::gatlingRun).distinct().toList()) {
      if (Files.isRegularFile(out.resolve("gatling").resolve(run).resolve("index.html"))) {
        links.add(new Link(run, "gatling/" + run + "/index.html"));
      }
    }
    return new ReportModel("gatling-llm-bench: " + first.modelId() + " at " + first.baseUrl(),
        pct, settings, Files.isRegularFile(params) ? Files.readString(params) : "(no engine_params.txt)",
        links, SweepSummary.header(), levels, timeline(out, results, gpu), loadAxis(results),
        results.stream().anyMatch(r -> r.stats("ttfo").mean() != null), LevelSpread.of(results, confidence));
  }

  /**
   * What the charts' x axis is: the concurrency of closed-model levels, the achieved request
   * throughput of request-rate levels (a latency-throughput curve, which an {@code inf} level joins).
   */
  private static String loadAxis(List<LevelResult> results) {
    long open = results.stream().filter(LevelResult::open).count();
    return open == 0 ? "concurrency" : open == results.size() ? "request throughput (req/s)"
        : "concurrency, or req/s for request-rate levels";
  }

  private static void setting(List<Setting> settings, String name, Object value) {
    if (value != null) {
      settings.add(new Setting(name, value.toString()));
    }
  }

  /** "p99" when reported, else the first percentile the results hold. */
  private static String percentileKey(LevelResult r) {
    List<Double> p = r.percentiles();
    return p.isEmpty() || p.contains(99.0) ? "p99" : "p" + llmbench.report.ConsoleBlock.percentileWord(p.get(0));
  }

  private static LevelView level(LevelResult r, String pct, Double peakGpu) {
    double q = Double.parseDouble(pct.substring(1));
    Map<String, Stat> stats = new LinkedHashMap<>();
    for (String m : METRICS) {
      LevelResult.MetricStats s = r.stats(m);
      stats.put(m, new Stat(s.mean(), s.median(), s.percentile(q)));
    }
    List<String> warnings = r.warnings() == null ? List.of() : r.warnings();
    List<Double> ttftMs = new ArrayList<>();
    List<Double> itlMs = new ArrayList<>();
    List<Bar> bars = new ArrayList<>();
    for (int i = 0; i < r.ttfts().length; i++) {
      boolean ok = !r.failed(i);
      double ttft = r.ttfts()[i];
      double start = r.startTimes()[i];
      bars.add(new Bar(start, start + ttft, start + r.latencies()[i], ok));
      if (ok) {
        ttftMs.add(ttft * 1000);
        for (double x : r.itls()[i]) {
          itlMs.add(x * 1000);
        }
      }
    }
    int concurrency = r.maxConcurrency() == null ? 0 : r.maxConcurrency();
    return new LevelView(r.name(), r.profile(), r.level(), concurrency,
        r.randomInputLen() == null ? 0 : r.randomInputLen(), r.randomOutputLen() == null ? 0 : r.randomOutputLen(),
        r.requestThroughput(), r.outputThroughput(), r.totalTokenThroughput(), r.failed(),
        stats, new SweepSummary.Row(r, peakGpu).cells(), warnings, r.server(), logHist(ttftMs), logHist(itlMs), bars,
        r.open() ? r.requestThroughput() : concurrency, loadText(r), windows(r));
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper WINDOWS = new com.fasterxml.jackson.databind.ObjectMapper()
      .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The level's windows of load (a ramp's, a trace's); empty for a level at one load. */
  private static List<Window> windows(LevelResult r) {
    Object w = r.other().get("load_windows");
    return w == null ? List.of() : WINDOWS.convertValue(w, new com.fasterxml.jackson.core.type.TypeReference<List<Window>>() { });
  }

  /** "concurrency 8", or "4 req/s", "inf req/s, max concurrency 8" for a request-rate level. */
  static String loadText(LevelResult r) {
    if (!r.open()) {
      return "concurrency " + r.maxConcurrency();
    }
    double b = r.burstiness() == null ? 1 : r.burstiness();
    if (r.other().containsKey("arrival_pattern")) { // a ramp or a trace: no one rate
      return r.scheduleText() + (r.maxConcurrency() != null ? ", max concurrency " + r.maxConcurrency() : "");
    }
    return r.rateText() + " req/s" + (b == 1 ? "" : ", burstiness " + b)
        + (r.maxConcurrency() != null ? ", max concurrency " + r.maxConcurrency() : "");
  }

  /** 24 log-spaced bins from the smallest positive value to the largest. */
  static Hist logHist(List<Double> values) {
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (double v : values) {
      if (v > 0) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (hi <= 0) {
      return new Hist(List.of(), List.of());
    }
    int bins = 24;
    if (hi <= lo * 1.0001) {
      hi = lo * 1.01;
    }
    double step = Math.log(hi / lo) / bins;
    List<Double> edges = new ArrayList<>();
    for (int i = 0; i <= bins; i++) {
      edges.add(lo * Math.exp(step * i));
    }
    int[] counts = new int[bins];
    for (double v : values) {
      if (v > 0) {
        counts[Math.min(bins - 1, (int) (Math.log(v / lo) / step))]++;
      }
    }
    List<Integer> c = new ArrayList<>();
    for (int n : counts) {
      c.add(n);
    }
    return new Hist(edges, c);
  }

  private static Timeline timeline(Path out, List<LevelResult> results, List<GpuSample> gpu) throws IOException {
    long t0 = results.stream().mapToLong(LevelResult::levelStartEpochMs).min().orElse(0);
    long tEnd = results.stream().mapToLong(LevelResult::levelEndEpochMs).max().orElse(t0);
    List<Band> bands = new ArrayList<>();
    double total = (tEnd - t0) / 1000.0;
    double bin = 1;
    for (double w : new double[] {0.5, 0.25, 0.1}) {
      bin = total / w <= 600 ? w : bin;
    }
    int bins = (int) Math.floor(total / bin + 1e-9) + 1;
    double[] tokens = new double[bins];
    double[] inFlight = new double[bins];
    double[] sent = new double[bins];
    for (LevelResult r : results) {
      long levelStart = r.levelStartEpochMs();
      bands.add(new Band(r.name(), (levelStart - t0) / 1000.0, (r.levelEndEpochMs() - t0) / 1000.0));
      double offset = (levelStart - t0) / 1000.0;
      for (int i = 0; i < r.ttfts().length; i++) {
        double start = offset + r.startTimes()[i];
        double end = start + r.latencies()[i];
        if (r.failed(i)) {
          end = start; // a failed request's length is unknown here
        }
        spread(inFlight, start / bin, Math.max(start, end) / bin);
        add(sent, start / bin, 1 / bin);
        double[] itls = r.itls()[i];
        int chunks = itls.length + 1;
        double perChunk = (double) r.outputLens()[i] / chunks;
        double t = start + r.ttfts()[i];
        if (perChunk > 0) {
          add(tokens, t / bin, perChunk / bin);
          for (double gap : itls) {
            t += gap;
            add(tokens, t / bin, perChunk / bin);
          }
        }
      }
    }
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    series.put("client output tok/s", points(tokens, bin));
    series.put("client requests in flight", points(inFlight, bin));
    series.put("client requests sent/s", points(sent, bin)); // the arrivals, beside the server's queue
    List<TelemetryCsv.Scrape> scrapes = new ArrayList<>();
    for (String run : results.stream().map(LevelResult::gatlingRun).distinct().toList()) {
      scrapes.addAll(TelemetryCsv.read(out.resolve("gatling").resolve(run).resolve(MetricsScraper.FILE_NAME)));
    }
    scrapes.sort((a, b) -> Long.compare(a.epochMs(), b.epochMs()));
    serverSeries(series, scrapes, t0, "server running", ServerSeries.RUNNING, 1);
    serverSeries(series, scrapes, t0, "server waiting", ServerSeries.WAITING, 1);
    serverSeries(series, scrapes, t0, "server KV cache %", ServerSeries.KV_CACHE_USAGE, 100);
    gpuSeries(series, gpu, t0);
    return new Timeline(t0, bin, bands, series);
  }

  /** Adds the overlap of [from, to] (in bins) with each bin to that bin: a time-weighted mean. */
  private static void spread(double[] bins, double from, double to) {
    for (int b = Math.max(0, (int) Math.floor(from + 1e-9)); b < bins.length && b < to; b++) {
      bins[b] += Math.max(0, Math.min(to, b + 1) - Math.max(from, b));
    }
  }

  private static void add(double[] bins, double at, double v) {
    int b = (int) Math.floor(at + 1e-9);
    if (b >= 0 && b < bins.length) {
      bins[b] += v;
    }
  }

  /** One point per bin, at its middle. */
  private static List<double[]> points(double[] v, double bin) {
    List<double[]> out = new ArrayList<>();
    for (int b = 0; b < v.length; b++) {
      out.add(new double[] {(b + 0.5) * bin, Math.round(v[b] * 100) / 100.0});
    }
    return out;
  }

  private static void serverSeries(Map<String, List<double[]>> series, List<TelemetryCsv.Scrape> scrapes, long t0,
      String name, String key, double scale) {
    List<double[]> points = new ArrayList<>();
    for (TelemetryCsv.Scrape s : scrapes) {
      Double v = s.get(key);
      if (v != null) {
        points.add(new double[] {(s.epochMs() - t0) / 1000.0, v * scale});
      }
    }
    if (!points.isEmpty()) {
      series.put(name, points);
    }
  }

  /** Memory and power summed over the GPUs, utilisation their mean, per reading round. */
  private static void gpuSeries(Map<String, List<double[]>> series, List<GpuSample> gpu, long t0) {
    TreeMap<Long, double[]> rounds = new TreeMap<>(); // time → mem, util sum, power, count
    for (GpuSample g : gpu) {
      double[] a = rounds.computeIfAbsent(g.epochMs(), k -> new double[4]);
      a[0] += g.usedMiB();
      a[1] += g.utilizationPct();
      a[2] += g.powerW();
      a[3]++;
    }
    if (rounds.isEmpty()) {
      return;
    }
    List<double[]> mem = new ArrayList<>();
    List<double[]> util = new ArrayList<>();
    List<double[]> power = new ArrayList<>();
    for (Map.Entry<Long, double[]> e : rounds.entrySet()) {
      double t = (e.getKey() - t0) / 1000.0;
      double[] a = e.getValue();
      mem.add(new double[] {t, a[0]});
      if (Double.isFinite(a[1])) {
        util.add(new double[] {t, a[1] / a[3]});
      }
      if (Double.isFinite(a[2])) {
        power.add(new double[] {t, a[2]});
      }
    }
    series.put("GPU memory MiB", mem);
    series.put("GPU utilisation %", util);
    series.put("GPU power W", power);
  }
}
