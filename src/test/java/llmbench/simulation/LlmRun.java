package llmbench.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import llmbench.diagnosis.ClientDiagnosis;
import llmbench.gatlinglog.SimulationLog;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.prompt.TextTokenizer;
import llmbench.report.LevelReport;
import llmbench.report.LiveProgress;
import llmbench.report.PostProcessor;
import llmbench.report.RunInfo;
import llmbench.server.ServerClient;
import llmbench.telemetry.MetricsScraper;
import llmbench.trace.RequestRecord;
import llmbench.trace.TraceFiles;
import llmbench.trace.TraceSink;
import llmbench.workload.BenchSettings;
import llmbench.workload.LevelPlan;
import llmbench.workload.Planner;
import llmbench.workload.Profile;
import llmbench.workload.RunPlan;

/**
 * What a simulation does outside Gatling's DSL: start the in-process mock when asked, plan the run,
 * collect token timings while it runs, and post-process once Gatling has closed simulation.log.
 */
final class LlmRun {
  final BenchSettings settings;
  final RunPlan plan;
  final TraceSink sink;
  final String runTag = UUID.randomUUID().toString().substring(0, 8);
  final ClientDiagnosis diagnosis = new ClientDiagnosis();
  private final String simulationClass;
  private final long startEpochMs = System.currentTimeMillis();
  private final MockServer mock;
  private final TextTokenizer tokenizer;
  private final Path pending;
  private final Path pendingInfo;
  private final Path pendingMetrics;
  private final Path pendingLog;
  final MetricsScraper scraper;
  private final LiveProgress progress;
  /** The console's levels: their records until their block is shown (run_test.sh's console only). */
  private final Map<String, List<RequestRecord>> ended = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Set<String> blocksShown = java.util.concurrent.ConcurrentHashMap.newKeySet();

  LlmRun(Class<?> simulation, Profile profile, BenchSettings settings) {
    this.settings = settings;
    this.simulationClass = simulation.getName();
    String url = settings.baseUrl();
    MockServer started = null;
    if (settings.mock()) {
      TextTokenizer.requireGiven(settings.tokenizerDir());
      Path dir = settings.tokenizerDir() != null ? settings.tokenizerDir() : TextTokenizer.DEFAULT_DIR;
      started = MockServer.start(MockConfig.builder().port(0).timeScale(settings.mockTimeScale())
          .tokenizerDir(TextTokenizer.hasTokenizer(dir) ? dir : null).build());
      url = started.baseUrl();
      System.out.println("built-in mock server started at " + url);
    }
    this.mock = started;
    try {
      this.tokenizer = TextTokenizer.forRun(settings.tokenizerDir(), new ServerClient(url, settings.apiKey()).isBuiltinMock());
      this.plan = Planner.plan(settings, profile, url, tokenizer);
      Path results = settings.gatlingResults();
      Files.createDirectories(results);
      this.pending = results.resolve(".llmbench-" + runTag + ".jsonl");
      this.pendingInfo = results.resolve(".llmbench-" + runTag + ".json");
      this.pendingMetrics = results.resolve(".llmbench-" + runTag + "-metrics.csv");
      this.pendingLog = results.resolve(".llmbench-" + runTag + "-client.log");
      StreamLog.open(pendingLog);
      runInfo().write(pendingInfo);
      this.sink = new TraceSink(pending);
      this.progress = settings.progress() && !plan.skipped() ? LiveProgress.forConsole() : null;
      if (progress != null) {
        sink.setListener(r -> {
          progress.record(r);
          if (!r.warmup()) {
            ended.computeIfAbsent(r.level(), k -> java.util.Collections.synchronizedList(new java.util.ArrayList<>())).add(r);
          }
        });
      }
      this.scraper = new MetricsScraper(new ServerClient(plan.baseUrl(), settings.apiKey()),
          plan.skipped() ? 0 : settings.metricsIntervalMs(), pendingMetrics, System.out).start();
    } catch (IOException e) {
      stopMock();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      stopMock();
      throw e;
    }
    for (String note : plan.notes()) {
      System.out.println("note: " + note);
    }
  }

  /** The run's facts; at the end, with when and how fast each level's inputs were built. */
  private RunInfo runInfo() {
    Map<String, RunInfo.LevelInputs> levels = new LinkedHashMap<>();
    for (LevelPlan l : plan.levels()) {
      if (l.buildMs() >= 0) {
        levels.put(l.label(), new RunInfo.LevelInputs(l.numPrompts(), l.buildMs(), l.builtAtEpochMs(),
            l.diagnosis()));
      }
    }
    Map<String, Object> metadata = new LinkedHashMap<>(plan.metadata());
    if (scraper != null && scraper.engine() != null) {
      metadata.put("server_metrics_engine", scraper.engine());
    } else if (scraper != null && scraper.unavailable() != null) {
      metadata.put("server_metrics", scraper.unavailable());
    }
    Map<String, RunInfo.Schedule> schedules = new LinkedHashMap<>();
    for (LevelPlan l : plan.levels()) {
      if (l.open()) {
        schedules.put(l.label(), new RunInfo.Schedule(l.arrivals().rateText(), l.arrivals().burstiness(),
            l.arrivals().maxConcurrency(), l.arrivalSeed()));
      }
    }
    return new RunInfo(plan.profile(), simulationClass, plan.baseUrl(), plan.modelId(), plan.tokenizerId(),
        plan.endpointType(), plan.maxModelLen(), startEpochMs, settings.percentileMetrics(),
        settings.percentiles(), goodputSpec(settings), plan.notes(), metadata, levels,
        schedules.isEmpty() ? null : schedules);
  }

  /** Vision results go to {@code <out>/vision_WxH/}: they never collide with text or other sizes. */
  private Path outputDir() {
    Path out = settings.outputDir();
    if (plan.metadata().containsKey("image_width")) {
      String sub = "vision_" + settings.image().label();
      if (out.getFileName() == null || !out.getFileName().toString().equals(sub)) {
        out = out.resolve(sub);
      }
    }
    return out;
  }

  private static String goodputSpec(BenchSettings s) {
    return s.goodput().limitsMs().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
        .reduce((a, b) -> a + "," + b).orElse(null);
  }

  /** Moves the token timings into Gatling's run folder and writes the results. */
  List<LevelReport> finish() {
    if (!plan.levels().isEmpty()) {
      plan.levels().get(plan.levels().size() - 1).release();
      showBlock(plan.levels().get(plan.levels().size() - 1));
    }
    try {
      sink.close();
      scraper.close();
      if (progress != null) {
        progress.close(); // every record is in: the last level's final line, before the blocks
      }
      Path runDir = findRunFolder().orElseThrow(() -> new IllegalStateException(
          "cannot find this run's folder under " + settings.gatlingResults()
              + "; token timings kept in " + pending));
      Files.move(pending, runDir.resolve(TraceFiles.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
      runInfo().write(pendingInfo);
      Files.move(pendingInfo, runDir.resolve(RunInfo.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
      if (Files.isRegularFile(pendingMetrics)) {
        Files.move(pendingMetrics, runDir.resolve(MetricsScraper.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
      }
      StreamLog.Summary logged = StreamLog.close();
      if (Files.isRegularFile(pendingLog)) {
        Path log = runDir.resolve("client.log");
        Files.move(pendingLog, log, StandardCopyOption.REPLACE_EXISTING);
        if (logged.total() > 0) {
          System.out.println(new StreamLog.Summary(logged.kinds(), logged.firstAt(), log).line());
        }
      }
      System.out.println("token timings: " + runDir.resolve(TraceFiles.FILE_NAME));
      return PostProcessor.process(runDir, outputDir(), System.out, tokenizer::countText, blocksShown);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      diagnosis.close();
      stopMock();
    }
  }

  /** What the SSE chain runs for every chunk with choices: the live line's count, or nothing. */
  Runnable chunkCounter() {
    LiveProgress p = progress;
    return p == null ? () -> { } : p::chunk;
  }

  /** The live console line follows this level (run_test.sh's; Gatling's own console otherwise). */
  void levelStarted(LevelPlan level) {
    if (progress != null) {
      progress.levelStarted(plan.profile() + " " + level.label(), level.label(), level.numPrompts());
    }
  }

  /**
   * The vLLM block of a level that ended, on the console before the next level starts (run_test.sh's
   * console; the results are still written at the end): the post-processor itself, on a folder of the
   * level's records alone, so it is the block the end would print, failures not yet refined by
   * simulation.log (the end names their HTTP status).
   */
  void showBlock(LevelPlan level) {
    if (progress == null || "warmup".equals(level.label())) {
      return;
    }
    if (!sink.awaitWritten(10_000)) {
      return; // the records are late: the block comes at the end
    }
    progress.finalLine(level.label());
    List<RequestRecord> records = ended.remove(level.label());
    if (records == null || records.isEmpty()) {
      return;
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory(settings.gatlingResults(), ".llmbench-level-");
      try (var w = TraceFiles.writer(dir.resolve(TraceFiles.FILE_NAME))) {
        for (RequestRecord r : records) {
          w.write(r);
        }
      }
      runInfo().write(dir.resolve(RunInfo.FILE_NAME));
      if (Files.isRegularFile(pendingMetrics)) {
        String csv = Files.readString(pendingMetrics);
        Files.writeString(dir.resolve(MetricsScraper.FILE_NAME), csv.substring(0, csv.lastIndexOf('\n') + 1));
      }
      PostProcessor.process(dir, null, System.out, tokenizer::countText);
      blocksShown.add(level.label());
    } catch (IOException | RuntimeException e) {
      System.out.println("(the block of " + level.label() + " comes at the end: " + e.getMessage() + ")");
    } finally {
      ClientWarmUp.deleteTree(dir);
    }
  }

  void levelEnded() {
    if (progress != null) {
      progress.levelEnded();
    }
  }

  void stopMock() {
    StreamLog.close(); // a no-op after finish; after a failed start, stderr again
    if (progress != null) {
      progress.close();
    }
    if (scraper != null) {
      scraper.close();
    }
    if (mock != null) {
      mock.close();
    }
  }

  private Optional<Path> findRunFolder() throws IOException {
    String prefix = simulationClass.substring(simulationClass.lastIndexOf('.') + 1).toLowerCase() + "-";
    try (Stream<Path> dirs = Files.list(settings.gatlingResults())) {
      return dirs.filter(d -> d.getFileName().toString().toLowerCase().startsWith(prefix))
          .filter(d -> Files.isRegularFile(d.resolve("simulation.log")))
          .filter(this::isOurs)
          .max(Comparator.comparing(d -> d.getFileName().toString()));
    }
  }

  private boolean isOurs(Path dir) {
    try {
      SimulationLog.Run run = SimulationLog.read(dir.resolve("simulation.log")).run();
      return run.simulationClass().equals(simulationClass) && run.startEpochMs() >= startEpochMs;
    } catch (IOException e) {
      return false;
    }
  }
}
