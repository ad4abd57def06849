package llmbench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbench.diagnosis.ClientDiagnosis;
import llmbench.gatlinglog.SimulationLog;
import llmbench.stats.LevelMetrics;
import llmbench.stats.Slo;
import llmbench.stats.VllmMetrics;
import llmbench.telemetry.LevelTelemetry;
import llmbench.telemetry.MetricsScraper;
import llmbench.telemetry.TelemetryCsv;
import llmbench.trace.RequestRecord;
import llmbench.trace.TraceFiles;

/**
 * Turns a Gatling run folder (simulation.log, token timings, run info) into one vLLM-format result
 * per level, in the run folder and in the output folder, and prints vLLM's console block per level.
 */
public final class PostProcessor {
  private static final DateTimeFormatter VLLM_DATE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneId.systemDefault());

  private PostProcessor() {}

  public static List<LevelReport> process(Path runDir, Path outputDir, PrintStream console,
      VllmMetrics.TextTokenCounter counter) throws IOException {
    return process(runDir, outputDir, console, counter, java.util.Set.of());
  }

  /**
   * @param blocksShown levels whose block the console already showed when they ended: each gets one
   *     line (its result file, its failures by kind as simulation.log refines them) instead
   */
  public static List<LevelReport> process(Path runDir, Path outputDir, PrintStream console,
      VllmMetrics.TextTokenCounter counter, java.util.Set<String> blocksShown) throws IOException {
    Path timings = runDir.resolve(TraceFiles.FILE_NAME);
    Path infoFile = runDir.resolve(RunInfo.FILE_NAME);
    if (!Files.isRegularFile(timings) || !Files.isRegularFile(infoFile)) {
      throw new IllegalArgumentException(runDir + " is not a gatling-llm-bench run folder (no "
          + TraceFiles.FILE_NAME + " or " + RunInfo.FILE_NAME + ")");
    }
    RunInfo info = RunInfo.read(infoFile);
    // one pass over the timings; each level keeps a few numbers per request in the heap and the
    // chunks in temporary files beside them, so memory does not grow with the chunks
    Map<String, VllmMetrics.Level> byLevel = new LinkedHashMap<>();
    Map<String, llmbench.stats.ScheduleLag> lags = new LinkedHashMap<>();
    Map<String, llmbench.stats.TurnSummary> turns = new LinkedHashMap<>();
    List<LevelReport> reports = new ArrayList<>();
    try {
      Path logFile = runDir.resolve("simulation.log");
      SimulationLog.Contents log = Files.isRegularFile(logFile) ? SimulationLog.read(logFile) : null;
      GatlingFailures failures = new GatlingFailures(log);
      TraceFiles.forEach(timings, r -> {
        if (!r.warmup()) {
          byLevel.computeIfAbsent(r.level(), k -> new VllmMetrics.Level(runDir, counter)).add(failures.refine(r));
          lags.computeIfAbsent(r.level(), k -> new llmbench.stats.ScheduleLag()).add(r);
          turns.computeIfAbsent(r.level(), k -> new llmbench.stats.TurnSummary()).add(r);
        }
      });
      Map<String, int[]> gatlingCounts = gatlingCounts(log);
      List<TelemetryCsv.Scrape> scrapes = TelemetryCsv.read(runDir.resolve(MetricsScraper.FILE_NAME));
      Slo slo = Slo.parse(info.goodput());
      String date = VLLM_DATE.format(Instant.ofEpochMilli(info.startEpochMs()));
      if (outputDir != null) {
        Files.createDirectories(outputDir);
      }
      for (Map.Entry<String, VllmMetrics.Level> e : byLevel.entrySet()) {
        reports.add(report(e.getKey(), e.getValue(), lags.get(e.getKey()), turns.get(e.getKey()), info, slo, date,
            gatlingCounts, scrapes,
            runDir, outputDir, console, blocksShown.contains(e.getKey())));
        e.getValue().close();
      }
    } finally {
      byLevel.values().forEach(VllmMetrics.Level::close);
    }
    return reports;
  }

  private static LevelReport report(String label, VllmMetrics.Level level, llmbench.stats.ScheduleLag lag,
      llmbench.stats.TurnSummary turns, RunInfo info, Slo slo, String date,
      Map<String, int[]> gatlingCounts, List<TelemetryCsv.Scrape> scrapes, Path runDir, Path outputDir,
      PrintStream console, boolean blockShown) throws IOException {
    RequestRecord first = level.first();
    LevelMetrics m = level.finish(info.percentiles(), slo);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("tool", "gatling-llm-bench");
    meta.put("profile", info.profile());
    meta.put("level", label);
    if (info.metadata() == null || !info.metadata().containsKey("dataset_name")) { // a file's lengths vary
      meta.put("random_input_len", first.requestedInput());
      meta.put("random_output_len", first.requestedOutput());
    }
    meta.put("gatling_run", runDir.getFileName().toString());
    meta.put("base_url", info.baseUrl());
    meta.put("max_model_len", info.maxModelLen());
    if (info.metadata() != null) {
      meta.putAll(info.metadata());
    }
    RunInfo.LevelInputs inputs = info.levels() == null ? null : info.levels().get(label);
    if (inputs != null) {
      meta.put("planned_prompts", inputs.plannedPrompts());
      meta.put("inputs_build_ms", inputs.buildMs());
      meta.put("inputs_built_at_epoch_ms", inputs.builtAtEpochMs());
      ClientDiagnosis.Level c = inputs.client();
      if (c != null) {
        long chunks = level.chunks();
        meta.put("client_cpu_ms", c.cpuMs());
        meta.put("client_cpu_us_per_chunk", chunks == 0 ? 0 : c.cpuMs() * 1e3 / chunks);
        meta.put("client_cpu_by_thread_ms", c.cpuByThreadMs());
        meta.put("client_jit_ms", c.jitMs());
        meta.put("client_gc_pause_ms", c.gcPauseMs());
        meta.put("client_gc_count", c.gcCount());
        meta.put("client_event_loops", c.eventLoops());
        meta.put("client_event_loop_lag_p50_ms", c.lagP50Ms());
        meta.put("client_event_loop_lag_p99_ms", c.lagP99Ms());
        meta.put("client_event_loop_lag_max_ms", c.lagMaxMs());
        meta.put("client_disturbed", !c.disturbances().isEmpty());
      }
    }
    RunInfo.Schedule schedule = info.schedule(label);
    if (schedule != null) {
      meta.put("arrival_seed", schedule.arrivalSeed());
      if (!lag.isEmpty()) {
        meta.putAll(lag.toMetadata(schedule.requestRate(), schedule.maxConcurrency() != null));
      }
    }
    if (!turns.isEmpty()) {
      meta.putAll(turns.toMetadata());
    }
    long startMs = level.minStartEpochMs();
    meta.put("level_start_epoch_ms", startMs);
    long endMs = startMs + Math.round(m.duration() * 1000);
    meta.put("level_end_epoch_ms", endMs);
    Object engine = meta.containsKey("server_metrics_engine") ? meta.get("server_metrics_engine")
        : scrapes.isEmpty() ? null : "server"; // an interrupted run's info was written before the first scrape
    LevelTelemetry server = null;
    try {
      server = engine == null ? null : LevelTelemetry.of(engine.toString(), scrapes, label, startMs, endMs);
    } catch (RuntimeException e) { // the server's numbers are a second opinion: never lose ours for them
      console.println("warning: the server metrics of " + label + " could not be summarised: " + e);
    }
    if (server != null) {
      meta.putAll(server.toMetadata());
    }
    List<String> warnings = new ArrayList<>(info.notes());
    if (runDir.getFileName().toString().startsWith("interrupted")) {
      warnings.add("the run was interrupted: the last level holds only the requests that finished");
    }
    warnings.addAll(crossCheck(label, level.size(), m, gatlingCounts));
    String late = schedule != null && !lag.isEmpty() ? lag.warning() : null;
    if (late != null) {
      warnings.add(late);
    }
    warnings.addAll(sampleWarnings(m, info.percentiles(), info.percentileMetrics()));
    if (inputs != null && inputs.client() != null) {
      warnings.addAll(inputs.client().disturbances());
    }
    java.util.List<String> errors = new ArrayList<>();
    for (int i = 0; i < m.numPrompts(); i++) {
      errors.add(m.perRequest().error(i));
    }
    Map<String, Integer> kinds = llmbench.trace.FailureKinds.count(errors);
    meta.put("failures_by_kind", kinds);
    meta.put("warnings", warnings);
    LevelReport report = new LevelReport(date, info.endpointType(), info.modelId(), info.tokenizerId(),
        first.concurrency(), first.requestedInput(), first.requestedOutput(), meta,
        info.percentileMetrics(), info.percentiles(), !slo.isEmpty(), m, schedule);
    ResultJson.write(report, runDir.resolve(report.fileName()));
    if (outputDir != null) {
      Path target = outputDir.resolve(report.fileName());
      archiveExisting(target, outputDir);
      Files.copy(runDir.resolve(report.fileName()), target);
    }
    if (blockShown) {
      console.println("[" + info.profile() + " " + label + "] " + (outputDir != null
          ? "result: " + outputDir.resolve(report.fileName()) : "result: " + runDir.resolve(report.fileName()))
          + (kinds.isEmpty() ? "" : "; failures by kind: " + llmbench.trace.FailureKinds.describe(kinds)));
      return report;
    }
    console.println();
    String load = schedule == null ? "concurrency " + first.concurrency()
        : new llmbench.workload.Arrivals(llmbench.workload.Arrivals.parseRate(schedule.requestRate()), schedule.burstiness(),
            schedule.maxConcurrency()).describe();
    console.println("[" + info.profile() + " " + label + ": " + load
        + ", " + first.requestedInput() + " in / " + first.requestedOutput() + " out, "
        + m.numPrompts() + " prompts]");
    if (schedule != null && !lag.isEmpty()) {
      console.println(lag.consoleLine(schedule.requestRate()));
    }
    console.print(ConsoleBlock.render(report));
    if (server != null) {
      LevelMetrics.Summary ttft = m.summaries().get("ttft");
      console.println(server.consoleLine(ttft == null ? Double.NaN : ttft.mean()));
    }
    if (!turns.isEmpty()) {
      console.println(turns.consoleLine());
    }
    if (!kinds.isEmpty()) {
      console.println("failures by kind: " + llmbench.trace.FailureKinds.describe(kinds));
    }
    for (String w : warnings) {
      console.println("warning: " + w);
    }
    if (m.completed() == 0 && m.numPrompts() > 0) {
      console.println("every request failed; first error: " + m.perRequest().error(0));
    }
    return report;
  }

  /** An earlier result with the same name moves to {@code archive/<its date>/}; nothing is overwritten. */
  static void archiveExisting(Path target, Path outputDir) throws IOException {
    if (!Files.exists(target)) {
      return;
    }
    String stamp = VLLM_DATE.format(Files.getLastModifiedTime(target).toInstant());
    Path dir = outputDir.resolve("archive").resolve(stamp);
    Files.createDirectories(dir);
    Path dest = dir.resolve(target.getFileName());
    for (int i = 1; Files.exists(dest); i++) {
      dest = dir.resolve(target.getFileName() + "." + i);
    }
    Files.move(target, dest, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Per level group: [connect requests, failed connects, failed checks] from simulation.log. */
  private static Map<String, int[]> gatlingCounts(SimulationLog.Contents c) {
    Map<String, int[]> counts = new LinkedHashMap<>();
    if (c == null) {
      return counts;
    }
    for (SimulationLog.Request r : c.requests()) {
      if (r.groups().isEmpty()) {
        continue;
      }
      String level = r.groups().get(0).split(" ")[0];
      int[] n = counts.computeIfAbsent(level, k -> new int[3]);
      if (r.name().equals(GatlingNames.CONNECT)) {
        n[0]++;
        n[1] += r.ok() ? 0 : 1;
      } else if (!r.ok()) {
        n[2]++;
      }
    }
    return counts;
  }

  private static List<String> crossCheck(String level, int records, LevelMetrics m,
      Map<String, int[]> counts) {
    List<String> out = new ArrayList<>();
    int[] n = counts.get(level);
    if (n == null) {
      if (!counts.isEmpty()) {
        out.add("simulation.log has no requests for level " + level);
      }
      return out;
    }
    if (n[0] != records) {
      out.add("simulation.log counts " + n[0] + " requests for " + level + " but " + records
          + " token records exist");
    }
    int gatlingFailed = Math.max(n[1], Math.min(n[2], n[0]));
    if (gatlingFailed > m.failed()) {
      out.add("Gatling marked " + gatlingFailed + " requests KO, the token records " + m.failed()
          + " (streams that ended without [DONE] but with a finish_reason count as successes here)");
    }
    return out;
  }

  private static List<String> sampleWarnings(LevelMetrics m, List<Double> percentiles, List<String> metrics) {
    List<String> out = new ArrayList<>();
    for (double p : percentiles) {
      int needed = (int) Math.ceil(100.0 / (100.0 - p));
      if (metrics.contains("ttft") && m.completed() > 0 && m.completed() < needed) {
        out.add("P" + ConsoleBlock.percentileWord(p) + " TTFT/TPOT/E2EL rest on only " + m.completed()
            + " requests (at least " + needed + " needed for that percentile to differ from the maximum);"
            + " raise the rounds for a meaningful tail");
      }
    }
    return out;
  }
}
