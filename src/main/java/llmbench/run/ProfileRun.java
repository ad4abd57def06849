package llmbench.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import llmbench.config.RunConfig;
import llmbench.diagnosis.ClientDiagnosis;
import llmbench.distributed.Barrier;
import llmbench.mock.MockServer;
import llmbench.prompt.TextTokenizer;
import llmbench.report.LiveProgress;
import llmbench.report.PostProcessor;
import llmbench.report.RunInfo;
import llmbench.results.LevelResult;
import llmbench.server.Discovery;
import llmbench.server.Preflight;
import llmbench.server.ServerClient;
import llmbench.server.ServerFacts;
import llmbench.stop.Climb;
import llmbench.stop.LevelEnd;
import llmbench.telemetry.MetricsScraper;
import llmbench.trace.RequestRecord;
import llmbench.trace.TraceFiles;
import llmbench.trace.TraceSink;
import llmbench.workload.Arrivals;
import llmbench.workload.LevelPlan;
import llmbench.workload.RunPlan;
import llmbench.workload.Schedule;
import llmbench.workload.Shard;

/**
 * One profile's run outside Gatling's DSL: the in-process mock when asked, the plan checked against
 * the server, the records and the server's metrics while it runs, each level's block when it ends,
 * and the results once Gatling has closed simulation.log. The records and the metrics are spooled to
 * Gatling's results folder while the run goes (bounded memory) and join its run folder at the end.
 */
public final class ProfileRun {
  public final RunConfig config;
  public final RunPlan plan;
  public final TraceSink sink;
  public final String runTag = UUID.randomUUID().toString().substring(0, 8);
  public final ClientDiagnosis diagnosis = new ClientDiagnosis();
  public final MetricsScraper scraper;
  /** Where the shards meet before each level ({@link Barrier#NONE} on one machine). */
  public final Barrier barrier;
  private final boolean ownsBarrier;
  private final String simulationClass;
  private final long startEpochMs = System.currentTimeMillis();
  private final MockServer mock;
  private final TextTokenizer tokenizer;
  private final Path pending;
  private final Path pendingMetrics;
  private final Path pendingLog;
  private final LiveProgress progress;
  /** Each level's records until it ended: its block, its stop and over-saturation check. */
  private final Map<String, List<RequestRecord>> ended = new ConcurrentHashMap<>();
  private final Set<String> blocksShown = ConcurrentHashMap.newKeySet();
  private final Set<String> done = ConcurrentHashMap.newKeySet();
  /** The profile's levels under the run's stop rules. */
  public final Climb climb;

  /**
   * Plans the run; a user's mistake or an unusable server throws (IllegalArgumentException,
   * {@link llmbench.workload.Planner.PlanError}, {@link ServerClient.ServerError}) with nothing left running.
   */
  public ProfileRun(ProfileJob job, String simulationClass) {
    this.config = job.effective();
    this.climb = new Climb(config.stops());
    this.simulationClass = simulationClass;
    ServerFacts server = job.server();
    MockServer started = null;
    try {
      if (server == null) {
        String url = config.server().baseUrl();
        if (config.server().mock()) {
          started = MockServer.start(config.mock().builder().loraModules(config.workload().adapters().names())
              .tokenizerDir(mockTokenizer()).build());
          url = started.baseUrl();
          System.out.println("built-in mock server started at " + url);
        }
        ServerClient at = new ServerClient(url, config.server().apiKey(), java.time.Duration.ofMinutes(10),
            config.server().tls(), config.server().headers());
        server = ServerFacts.of(url, at, Discovery.discover(at, config.server().model(), config.server().maxModelLen()));
      }
      ServerClient client = new ServerClient(server.baseUrl(), config.server().apiKey(),
          java.time.Duration.ofSeconds(config.client().timeoutSeconds()), config.server().tls(), config.server().headers());
      this.tokenizer = TextTokenizer.forRun(config.server().tokenizerDir(), server.builtinMock());
      Shard shard = config.shards().shard();
      this.plan = sharded(Preflight.plan(client, server, config.workload(), config.load(),
          config.shape(job.entry().profile()), tokenizer, config.server().flushCache() && shard.first(), shard.first()),
          shard);
      Path results = Files.createDirectories(config.output().gatlingResults());
      this.pending = results.resolve(".llmbench-" + runTag + ".jsonl");
      this.pendingMetrics = results.resolve(".llmbench-" + runTag + "-metrics.csv");
      this.pendingLog = results.resolve(".llmbench-" + runTag + "-client.log");
      StreamLog.open(pendingLog);
      this.sink = new TraceSink(pending);
      this.progress = config.output().liveLine() && !plan.skipped() ? LiveProgress.forConsole() : null;
      sink.setListener(r -> {
        if (progress != null) {
          progress.record(r);
        }
        if (!r.warmup()) {
          ended.computeIfAbsent(r.level(), k -> Collections.synchronizedList(new ArrayList<>())).add(r);
          climb.answered(r);
        }
      });
      // the server's /metrics are read by shard 0 alone (its counters are the server's, not a shard's)
      this.scraper = new MetricsScraper(client, plan.skipped() || !shard.first() ? 0 : config.output().metricsIntervalMs(),
          pendingMetrics, System.out).start();
    } catch (IOException e) {
      close(started);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      close(started);
      throw e;
    }
    this.mock = started;
    this.ownsBarrier = job.barrier() == null;
    this.barrier = job.barrier() != null ? job.barrier() : Barrier.open(config.shards(), config.workload().seed());
    for (String note : plan.notes()) {
      System.out.println("note: " + note);
    }
    job.started().accept(this);
  }

  /** What a merge needs of a shard's level: the whole level's shape, and when this shard started it. */
  private static RunInfo.ShardLevel shardLevel(LevelPlan l) {
    Integer cap = l.open() ? l.schedule().maxConcurrency() : null;
    return new RunInfo.ShardLevel(l.wholePrompts(), !l.open() ? l.wholeConcurrency() : cap == null ? 0 : cap,
        l.startedNs());
  }

  /** The plan with each level cut to this shard's share; the server's warm-up is shard 0's alone. */
  private static RunPlan sharded(RunPlan p, Shard shard) {
    if (shard.whole() || p.skipped()) {
      return p;
    }
    return new RunPlan(p.profile(), p.baseUrl(), p.modelId(), p.tokenizerId(), p.endpoint(), p.maxModelLen(), p.warmup(),
        p.levels().stream().map(l -> l.shard(shard)).toList(), p.notes(), p.metadata(), p.skippedReason(), p.preflight());
  }

  /** The built-in mock's tokenizer: the one the run was given, else fake_model/'s, else its own. */
  private Path mockTokenizer() {
    Path dir = config.server().tokenizerDir() != null ? config.server().tokenizerDir() : TextTokenizer.DEFAULT_DIR;
    return TextTokenizer.hasTokenizer(dir) ? dir : null;
  }

  private static String rateText(double rate) {
    return Double.isInfinite(rate) ? "inf" : new Arrivals(rate, 1, null).rateText();
  }

  /** The run's facts; at the end, with when and how fast each level's inputs were built. */
  RunInfo runInfo() {
    Map<String, RunInfo.LevelInputs> levels = new LinkedHashMap<>();
    Map<String, RunInfo.Schedule> schedules = new LinkedHashMap<>();
    for (LevelPlan l : plan.levels()) {
      if (l.buildMs() >= 0) {
        int users = !l.open() ? l.concurrency()
            : l.schedule().maxConcurrency() == null ? 0 : l.schedule().maxConcurrency();
        levels.put(l.label(), new RunInfo.LevelInputs(l.numPrompts(), l.buildMs(), l.builtAtEpochMs(), l.diagnosis(),
            users, l.inputLen(), l.outputLen(), null, config.shards().shard().whole() ? null : shardLevel(l), null,
            climb.ended(l.label())));
      }
      if (l.open()) {
        Schedule s = l.schedule();
        schedules.put(l.label(), new RunInfo.Schedule(rateText(s.requestRate()), s.burstiness(), s.maxConcurrency(),
            l.arrivalSeed(), s.pattern(), s.describe(), s.resultKeys()));
      }
    }
    Map<String, Object> metadata = new LinkedHashMap<>(plan.metadata());
    if (config.client().cancel().any()) {
      metadata.put("cancel", config.client().cancel().describe());
    }
    if (config.repeats().repeated()) {
      metadata.put(LevelResult.REPEAT_RUN, config.repeats().run());
      metadata.put("repeat_max_runs", config.repeats().count());
    }
    if (scraper != null && scraper.engine() != null) {
      metadata.put("server_metrics_engine", scraper.engine());
    } else if (scraper != null && scraper.unavailable() != null) {
      metadata.put("server_metrics", scraper.unavailable());
    }
    return new RunInfo(plan.profile(), simulationClass, plan.baseUrl(), plan.modelId(), plan.tokenizerId(),
        plan.endpointType(), plan.maxModelLen(), startEpochMs,
        plan.endpoint().pooling() ? List.of("e2el") : config.output().percentileMetrics(), // nothing streams
        config.output().percentiles(), config.output().goodputSpec(), plan.notes(), metadata, levels,
        schedules.isEmpty() ? null : schedules, barrier.times());
  }

  /**
   * Gatling's run folder has the records, the server's metrics and the client's log put in, and the
   * results are written from it; returns their summaries.
   *
   * @param runDir Gatling's folder of this run (its simulation.log), or a folder for an interrupted run
   */
  public List<LevelResult> finish(Path runDir) {
    if (!plan.levels().isEmpty()) { // an interrupted level did not end by itself
      LevelPlan last = plan.levels().get(plan.levels().size() - 1);
      last.release();
      levelDone(last);
    }
    try {
      try {
        sink.close();
      } catch (IllegalStateException e) { // the writer failed: what it wrote before still makes results
        System.err.println("error: " + e.getMessage() + " (the results below hold the requests written before)");
      }
      scraper.close();
      if (progress != null) {
        progress.close(); // every record is in: the last level's final line, before the blocks
      }
      Files.createDirectories(runDir);
      Files.move(pending, runDir.resolve(TraceFiles.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
      RunInfo info = runInfo();
      info.write(runDir.resolve(RunInfo.FILE_NAME)); // ./postprocess.sh rebuilds the results from the folder alone
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
      return PostProcessor.process(new PostProcessor.Input(info, runDir, config.output().out(), scraper.scrapes(),
          tokenizer::countText, blocksShown), System.out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      diagnosis.close();
      stop();
    }
  }

  /**
   * The run stopped before its simulation ended (Ctrl-C): what it measured becomes results too, in
   * {@code interrupted<tag>/} beside Gatling's run folders, so that no finished level is lost.
   */
  public List<LevelResult> interrupted() {
    return finish(config.output().gatlingResults().resolve("interrupted-" + runTag));
  }

  /** The console's live line (the scripts'), or null (Gatling's console). */
  public LiveProgress progress() {
    return progress;
  }

  /** The live console line follows this level (the scripts'; Gatling's own console otherwise). */
  public void levelStarted(LevelPlan level) {
    if (progress != null) {
      progress.levelStarted(plan.profile() + " " + level.label(), level.label(), level.numPrompts(),
          (long) level.numPrompts() * level.outputLen());
      if (level.open() && level.numPrompts() > 0) {
        progress.schedule(level.startedNs(), level.dueNs(level.numPrompts() - 1));
      }
    }
  }

  /**
   * A level ended: its result from its records in memory (failures not yet refined by simulation.log,
   * which names their HTTP status), its vLLM block on the scripts' console before the next level
   * starts, and the climb's check of it (its stop, over-saturation against the level below), said in
   * one line when either found something. Once per level; a level that did not run has nothing.
   */
  public void levelDone(LevelPlan level) {
    if ("warmup".equals(level.label()) || !done.add(level.label())) {
      return;
    }
    if (!sink.awaitWritten(10_000)) {
      System.out.println("(the records of " + level.label() + " are late: its block comes at the end, unchecked)");
      return;
    }
    if (progress != null) {
      progress.finalLine(level.label());
    }
    List<RequestRecord> records = ended.remove(level.label());
    LevelResult result = null;
    if (records != null && !records.isEmpty()) {
      try {
        result = PostProcessor.block(runInfo(), level.label(), List.copyOf(records), scraper.scrapes(),
            tokenizer::countText, progress != null ? System.out : null);
        if (progress != null) {
          blocksShown.add(level.label());
        }
      } catch (RuntimeException e) {
        System.out.println("(the block of " + level.label() + " comes at the end: " + e.getMessage() + ")");
      }
    }
    List<String> higher = higher(level);
    LevelEnd end = climb.end(level.label(), result, higher);
    String at = "[" + plan.profile() + " " + level.label() + "] ";
    end.warnings().forEach(w -> System.out.println(at + w));
    if (end.saturation() != null && end.saturation().overSaturated() && !config.stops().onSaturation()
        && !higher.isEmpty()) {
      System.out.println(at + "--stop-on-saturation would end the climb here");
    }
  }

  /** The profile's levels after {@code level}. */
  private List<String> higher(LevelPlan level) {
    List<String> after = new ArrayList<>();
    boolean past = false;
    for (LevelPlan l : plan.levels()) {
      if (past) {
        after.add(l.label());
      }
      past |= l == level;
    }
    return after;
  }

  public void levelEnded() {
    if (progress != null) {
      progress.levelEnded();
    }
  }

  /** Stops what the run started (the live line, the scraper, the in-process mock); safe to call twice. */
  public void stop() {
    StreamLog.close(); // a no-op after finish
    if (progress != null) {
      progress.close();
    }
    if (scraper != null) {
      scraper.close();
    }
    if (ownsBarrier && barrier != null) {
      barrier.close();
    }
    close(mock);
  }

  private static void close(MockServer m) {
    StreamLog.close();
    if (m != null) {
      m.close();
    }
  }
}
