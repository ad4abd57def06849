package llmbench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.simulation.SmokeLoad;
import llmbench.stats.Distribution;
import llmbench.trace.RequestRecord;
import llmbench.trace.TraceFiles;
import llmbench.testutil.Jvm;

/**
 * How exact the client's TTFT, ITL and E2EL are: a real Gatling run (SmokeLoad, 200 in / 100 out, one
 * level) against the mock, each request's client stamps compared with the mock's own record of when
 * it sent each chunk, on the same monotonic clock. The mock runs in this JVM or in its own process.
 */
final class FidelityBench implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Chunks at each end of a stream left out of the steady-state ITL error. */
  static final int STEADY_SKIP = 10;
  private final Path work;
  private final Path tokenizer;

  private final MockProcess.Pool mocks;

  @Override
  public void close() throws InterruptedException {
    mocks.close();
  }

  FidelityBench(Path work) throws IOException {
    this.work = work;
    this.tokenizer = Files.createDirectories(work.resolve("tokenizer"));
    BuiltinTokenizer.writeTo(tokenizer);
    this.mocks = new MockProcess.Pool(work, tokenizer);
  }

  /** The mock in its own process at {@code stepMs} steps, started once and shared by the runs. */
  MockProcess mock(double stepMs) throws IOException, InterruptedException {
    return mocks.get(stepMs, 0);
  }

  Map<String, Object> run(int concurrency, double stepMs, boolean separateProcess) throws Exception {
    return run(concurrency, stepMs, separateProcess, 0, null);
  }

  /**
   * @param mockNice the mock process's niceness (own process only), 0 as usual
   * @param freshJvm null: Gatling in this (warm) JVM; otherwise a new JVM whose first simulation this
   *     is, with the client's JIT warm-up on ({@code true}) or off, against the mock in its own process
   */
  Map<String, Object> run(int concurrency, double stepMs, boolean separateProcess, int mockNice, Boolean freshJvm)
      throws Exception {
    Path dir = Files.createTempDirectory(work, "fid");
    Map<String, GroundTruth.Trace> truth = new HashMap<>();
    long mockCpuTicks = 0;
    if (separateProcess) {
      MockProcess mock = mocks.get(stepMs, mockNice);
      long cpu0 = cpuTicks(mock.process().pid());
      if (freshJvm == null) {
        gatling("http://127.0.0.1:" + mock.port(), concurrency, dir);
      } else {
        gatlingInFreshJvm("http://127.0.0.1:" + mock.port(), concurrency, dir, freshJvm);
      }
      mockCpuTicks = cpuTicks(mock.process().pid()) - cpu0;
      truth.putAll(mock.traces());
    } else {
      MockConfig cfg = MockConfig.builder().port(0).stepModel(StepModel.fixed(stepMs)).maxNumSeqs(1024)
          .numGpuBlocks(1_000_000).maxNumBatchedTokens(262_144).tokenizerDir(tokenizer).keepTraces(true).build();
      try (MockServer mock = MockServer.start(cfg)) {
        gatling(mock.baseUrl(), concurrency, dir);
        mock.groundTruth().all().forEach(t -> truth.put(t.requestId(), t));
      }
    }
    List<Double> ttft = new ArrayList<>();
    List<Double> itl = new ArrayList<>();
    List<Double> e2el = new ArrayList<>();
    List<Double> itlSteady = new ArrayList<>(); // away from the level's start and end
    List<Double> ttftFlush = new ArrayList<>(); // against the mock's stamp after the flush
    List<Double> itlFlush = new ArrayList<>();
    List<Double> ttftSeen = new ArrayList<>();
    List<Double> ttftTrue = new ArrayList<>();
    List<Double> itlSeen = new ArrayList<>();
    List<Double> itlTrue = new ArrayList<>();
    Map<Long, List<long[]>> bySteps = new HashMap<>(); // engine step end -> [sent, stamped] of its chunks
    long chunks = 0;
    int failed = 0;
    Path runDir = llmbench.testutil.GatlingRuns.only(dir.resolve("gatling"));
    List<RequestRecord> records = new ArrayList<>();
    TraceFiles.forEach(runDir.resolve(TraceFiles.FILE_NAME), records::add);
    for (RequestRecord r : records) {
      if (r.warmup()) {
        continue;
      }
      GroundTruth.Trace t = truth.get(r.id());
      if (!r.success() || t == null || t.choiceChunkNs().length != r.chunkNs().length) {
        failed++;
        continue;
      }
      long[] c = r.chunkNs();
      long[] s = t.choiceChunkNs();
      chunks += c.length;
      ttft.add(Math.abs(c[0] - s[0]) / 1e6);
      long[] f = t.choiceFlushedNs();
      if (f != null && f.length == c.length) {
        ttftFlush.add(Math.abs(c[0] - f[0]) / 1e6);
        for (int i = 1; i < c.length; i++) {
          itlFlush.add(Math.abs((c[i] - c[i - 1]) - (f[i] - f[i - 1])) / 1e6);
        }
      }
      ttftSeen.add((c[0] - r.startNs()) / 1e6);
      ttftTrue.add((s[0] - r.startNs()) / 1e6); // nanoTime is CLOCK_MONOTONIC: one clock for both processes
      e2el.add(Math.abs(c[c.length - 1] - s[s.length - 1]) / 1e6);
      for (int i = 1; i < c.length; i++) {
        double err = Math.abs((c[i] - c[i - 1]) - (s[i] - s[i - 1])) / 1e6;
        itl.add(err);
        itlSeen.add((c[i] - c[i - 1]) / 1e6);
        itlTrue.add((s[i] - s[i - 1]) / 1e6);
        if (i > STEADY_SKIP && i < c.length - STEADY_SKIP) {
          itlSteady.add(err);
        }
      }
      if (t.tokenDueNs().length == s.length) {
        for (int i = 0; i < s.length; i++) {
          bySteps.computeIfAbsent(t.tokenDueNs()[i], k -> new ArrayList<>()).add(new long[] {s[i], c[i]});
        }
      }
    }
    Burst burst = burst(bySteps);
    JsonNode level = levelResult(dir.resolve("out"));
    double clientCpuUs = level.path("client_cpu_us_per_chunk").asDouble(Double.NaN);
    Distribution a = BenchUtil.dist(ttft);
    Distribution b = BenchUtil.dist(itl);
    Distribution e = BenchUtil.dist(e2el);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("mock", !separateProcess ? "in-process" : mockNice != 0 ? "own process, nice " + mockNice
        : freshJvm == null ? "own process" : "own process; fresh client JVM, client warm-up " + (freshJvm ? "on" : "off"));
    row.put("concurrency", concurrency);
    row.put("step_ms", stepMs);
    row.put("requests", records.size() - records.stream().filter(RequestRecord::warmup).count());
    row.put("failed", failed);
    row.put("ttft_err_p50_ms", a.median());
    row.put("ttft_err_p99_ms", a.percentile(99));
    row.put("ttft_err_max_ms", BenchUtil.max(a));
    row.put("itl_err_p50_ms", b.median());
    row.put("itl_err_p99_ms", b.percentile(99));
    row.put("itl_err_max_ms", BenchUtil.max(b));
    row.put("e2el_err_p50_ms", e.median());
    row.put("e2el_err_p99_ms", e.percentile(99));
    row.put("e2el_err_max_ms", BenchUtil.max(e));
    row.put("client_cpu_us_per_chunk", clientCpuUs);
    row.put("client_cpu_ms", level.path("client_cpu_ms").asDouble(Double.NaN));
    row.put("client_cpu_by_thread_ms", JSON.convertValue(level.path("client_cpu_by_thread_ms"), Map.class));
    row.put("client_jit_ms", level.path("client_jit_ms").asDouble(Double.NaN));
    row.put("chunks", chunks);
    if (separateProcess && chunks > 0) {
      row.put("mock_cpu_us_per_chunk", mockCpuTicks * 1e6 / 100.0 / chunks); // /proc ticks are 10 ms
    }
    Distribution steady = BenchUtil.dist(itlSteady);
    row.put("itl_err_steady_p50_ms", steady.median());
    row.put("itl_err_steady_p99_ms", steady.percentile(99));
    // what a user reads: the level's statistics as reported, against the same statistics of the truth
    Distribution ts = BenchUtil.dist(ttftSeen);
    Distribution tt = BenchUtil.dist(ttftTrue);
    Distribution is = BenchUtil.dist(itlSeen);
    Distribution it = BenchUtil.dist(itlTrue);
    row.put("p99_ttft_reported_ms", ts.percentile(99));
    row.put("p99_ttft_true_ms", tt.percentile(99));
    row.put("p99_ttft_off_pct", pctOff(ts.percentile(99), tt.percentile(99)));
    row.put("mean_ttft_off_pct", pctOff(ts.mean(), tt.mean()));
    row.put("p99_itl_reported_ms", is.percentile(99));
    row.put("p99_itl_true_ms", it.percentile(99));
    row.put("p99_itl_off_pct", pctOff(is.percentile(99), it.percentile(99)));
    row.put("mean_itl_off_pct", pctOff(is.mean(), it.mean()));
    row.put("ttft_err_p99_after_flush_ms", BenchUtil.dist(ttftFlush).percentile(99));
    row.put("itl_err_p99_after_flush_ms", BenchUtil.dist(itlFlush).percentile(99));
    row.put("burst_head_delay_p50_ms", burst.headDelayP50Ms());
    row.put("burst_delay_us_per_chunk", burst.slopeUsPerChunk());
    row.put("burst_mean_chunks", burst.meanChunks());
    row.put("meets_target", a.percentile(99) <= 1 && b.percentile(99) <= 1 && e.percentile(99) <= 1);
    System.out.printf("fidelity %-11s c=%-3d step %2.0f ms: TTFT err %s | ITL err %s | E2EL err %s | client %.1f us/chunk"
        + " | after flush: TTFT p99 %.3f ITL p99 %.3f | P99 TTFT %+.2f %%, P99 ITL %+.2f %%, mean ITL %+.2f %% off | steady ITL err p99 %.3f | step burst: head %.3f ms, +%.1f us per earlier chunk, %.0f chunks%n",
        row.get("mock"), concurrency, stepMs, BenchUtil.pct(a), BenchUtil.pct(b), BenchUtil.pct(e), clientCpuUs,
        row.get("ttft_err_p99_after_flush_ms"), row.get("itl_err_p99_after_flush_ms"),
        row.get("p99_ttft_off_pct"), row.get("p99_itl_off_pct"), row.get("mean_itl_off_pct"), steady.percentile(99), burst.headDelayP50Ms(), burst.slopeUsPerChunk(), burst.meanChunks());
    return row;
  }

  private static double pctOff(double reported, double truth) {
    return truth == 0 ? 0 : 100 * (reported - truth) / truth;
  }

  /**
   * Where the error comes from: every engine step hands the chunks of all running streams to the
   * sockets at once, and the client takes them one after the other. Per step, chunks are ranked by
   * when the mock sent them; the delay (client stamp − send) of a step's first chunk is the floor
   * (wake-up, loopback), and the least-squares slope of delay on rank is what each earlier chunk of
   * the same step costs the later ones.
   */
  record Burst(double headDelayP50Ms, double slopeUsPerChunk, double meanChunks) {}

  static Burst burst(Map<Long, List<long[]>> bySteps) {
    List<Double> heads = new ArrayList<>();
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (List<long[]> step : bySteps.values()) {
      step.sort((p, q) -> Long.compare(p[0], q[0]));
      heads.add((step.get(0)[1] - step.get(0)[0]) / 1e6);
      for (int k = 0; k < step.size(); k++) {
        double delayUs = (step.get(k)[1] - step.get(k)[0]) / 1e3;
        n++;
        sx += k;
        sy += delayUs;
        sxx += (double) k * k;
        sxy += k * delayUs;
      }
    }
    double denom = n * sxx - sx * sx;
    double slope = denom == 0 ? 0 : (n * sxy - sx * sy) / denom;
    return new Burst(heads.isEmpty() ? 0 : BenchUtil.dist(heads).median(), slope,
        bySteps.isEmpty() ? 0 : n / bySteps.size());
  }

  /**
   * {@code runs} runs of one configuration: each figure is the median over the runs (max: the
   * largest; requests, failures and chunks: the sum).
   */
  Map<String, Object> runMedian(int concurrency, double stepMs, boolean separateProcess, int mockNice, int runs)
      throws Exception {
    return runMedian(concurrency, stepMs, separateProcess, mockNice, null, runs);
  }

  Map<String, Object> runMedian(int concurrency, double stepMs, boolean separateProcess, int mockNice,
      Boolean freshJvm, int runs) throws Exception {
    List<Map<String, Object>> all = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      all.add(run(concurrency, stepMs, separateProcess, mockNice, freshJvm));
    }
    Map<String, Object> row = new LinkedHashMap<>(all.get(0));
    for (String key : row.keySet()) {
      if (key.equals("requests") || key.equals("failed") || key.equals("chunks")) {
        row.put(key, all.stream().mapToLong(x -> ((Number) x.get(key)).longValue()).sum());
      } else if (row.get(key) instanceof Number && !key.equals("concurrency")) {
        List<Double> v = all.stream().map(x -> ((Number) x.get(key)).doubleValue()).toList();
        row.put(key, key.endsWith("_max_ms") ? v.stream().mapToDouble(Double::doubleValue).max().orElse(0)
            : BenchUtil.dist(v).median());
      }
    }
    row.put("runs", runs);
    row.put("ttft_err_p99_ms_each", all.stream().map(x -> x.get("ttft_err_p99_ms")).toList());
    row.put("itl_err_p99_ms_each", all.stream().map(x -> x.get("itl_err_p99_ms")).toList());
    row.put("meets_target", (double) row.get("ttft_err_p99_ms") <= 1 && (double) row.get("itl_err_p99_ms") <= 1
        && (double) row.get("e2el_err_p99_ms") <= 1);
    return row;
  }

  private void gatling(String url, int concurrency, Path dir) throws IOException {
    llmbench.testutil.Runs.gatlingTest(SmokeLoad.class.getName(), dir.resolve("gatling"), props(url, concurrency, dir));
  }

  private void gatlingInFreshJvm(String url, int concurrency, Path dir, boolean clientWarmup)
      throws IOException, InterruptedException {
    Map<String, String> props = props(url, concurrency, dir);
    props.put("llm.clientWarmup", Boolean.toString(clientWarmup));
    List<String> cmd = new ArrayList<>(List.of(Jvm.java(),
        "-Xmx2G", "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Dai.djl.offline=true"));
    cmd.add(1, "@bin/client-jvm.args"); // a fresh client JVM as the scripts start it
    props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.addAll(List.of("-cp", Jvm.classpath(), SmokeLoad.class.getName(),
        dir.resolve("gatling").toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("client.log").toFile())
        .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("the fresh client JVM failed: see " + dir.resolve("client.log"));
    }
  }

  private Map<String, String> props(String url, int concurrency, Path dir) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("llm.url", url);
    props.put("llm.tokenizer", tokenizer.toString());
    props.put("llm.input", "200");
    props.put("llm.output", "100");
    props.put("llm.levels", Integer.toString(concurrency));
    props.put("llm.rounds", concurrency < 32 ? "4" : "1");
    props.put("llm.warmup", "8");
    props.put("llm.out", dir.resolve("out").toString());
    props.put("llm.gatlingResults", dir.resolve("gatling").toString());
    return props;
  }

  private static JsonNode levelResult(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      Path f = s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
      return JSON.readTree(f.toFile());
    }
  }

  /** utime + stime of a process, in clock ticks (1/100 s). */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
