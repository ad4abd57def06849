package llmbench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbench.diagnosis.ClientDiagnosis;
import llmbench.results.LevelResult;
import llmbench.results.ResultWriter;
import llmbench.stats.LevelMetrics;
import llmbench.stats.ModelMetrics;
import llmbench.stats.ImageTokenCounts;
import llmbench.stats.LoadWindows;
import llmbench.stats.ScheduleLag;
import llmbench.stats.TurnSummary;
import llmbench.stats.VllmMetrics;
import llmbench.telemetry.LevelTelemetry;
import llmbench.trace.FailureKinds;
import llmbench.trace.RequestRecord;
import llmbench.workload.Arrivals;

/**
 * One level of a run: its records as they come, then its {@link LevelResult} (vLLM's metrics, our
 * keys, the server's view, the checks' warnings), written and printed.
 */
final class LevelSummary implements AutoCloseable {
  private final String label;
  private final VllmMetrics.Level level;
  private final ScheduleLag lag = new ScheduleLag();
  private final TurnSummary turns = new TurnSummary();
  private final ModelMetrics.Level model;
  private final boolean fixedOutput;
  private final AnswerBreakdown answers;

  /**
   * @param tempDir where the level's per-request details wait on disk
   * @param fixedOutput the level asked one output length of every request (not a dataset's)
   */
  LevelSummary(String label, Path tempDir, VllmMetrics.TextTokenCounter counter, boolean fixedOutput) {
    this.label = label;
    this.level = new VllmMetrics.Level(tempDir, counter);
    this.answers = new AnswerBreakdown(tempDir, counter);
    this.model = new ModelMetrics.Level(counter);
    this.fixedOutput = fixedOutput;
  }

  String label() {
    return label;
  }

  void add(RequestRecord r) {
    if (r.cancelled()) {
      answers.cancelled(r);
      return;
    }
    answers.add(r);
    level.add(r);
    model.add(r, fixedOutput);
    lag.add(r);
    turns.add(r);
  }

  /** A level's result, and what its console block says beside vLLM's lines. */
  record Summarised(LevelResult result, LevelMetrics metrics, String heading, List<String> lines, String lastError) {
    void print(PrintStream console) {
      console.println();
      console.println(heading);
      lines.subList(0, lines.indexOf(BLOCK)).forEach(console::println);
      console.print(ConsoleBlock.render(result));
      lines.subList(lines.indexOf(BLOCK) + 1, lines.size()).forEach(console::println);
      if (lastError != null) {
        console.println("every request failed; first error: " + lastError);
      }
    }
  }

  /** A result written to its file. */
  record Written(LevelResult result, Path file, Summarised summarised) {
    void print(PrintStream console) {
      summarised.print(console);
    }
  }

  private static final String BLOCK = "\u0000block";

  Written write(PostProcessor.Context c, Path runDir, PrintStream console) throws IOException {
    Summarised s = summarise(c, console);
    Path file = runDir.resolve(s.result().fileName());
    LevelMetrics.PerRequest each = s.metrics().perRequest();
    ResultWriter.write(s.result(), new ResultWriter.Bulk() {
      @Override
      public double[] itls(int i) {
        return each.itls(i);
      }

      @Override
      public String generatedText(int i) {
        return each.generatedText(i);
      }

      @Override
      public String error(int i) {
        return each.error(i);
      }
    }, file);
    return new Written(s.result(), file, s);
  }

  Summarised summarise(PostProcessor.Context c, PrintStream console) {
    RunInfo info = c.info();
    LevelMetrics m = level.finish(info.percentiles(), c.slo());
    // a plan's own facts first, then the client's self-check, the schedule, sessions and the server
    Map<String, Object> other = new LinkedHashMap<>();
    if (info.metadata() != null) {
      other.putAll(info.metadata());
    }
    RunInfo.LevelInputs inputs = info.levels() == null ? null : info.levels().get(label);
    Shape shape = Shape.of(inputs, level.first());
    if (inputs != null) {
      other.put("planned_prompts", inputs.plannedPrompts());
      other.put("inputs_build_ms", inputs.buildMs());
      other.put("inputs_built_at_epoch_ms", inputs.builtAtEpochMs());
      ClientDiagnosis.Level d = inputs.client();
      if (d != null) {
        other.putAll(clientKeys(d, level.chunks()));
      }
      if (inputs.shard() != null) {
        other.putAll(inputs.shard().resultKeys());
      }
      if (inputs.merged() != null) {
        other.putAll(inputs.merged().resultKeys());
      }
      if (inputs.end() != null) {
        other.putAll(inputs.end().resultKeys());
      }
    }
    RunInfo.Schedule schedule = info.schedule(label);
    boolean allAtOnce = schedule != null && !schedule.varies() && schedule.requestRate().equals("inf");
    if (schedule != null && schedule.varies()) {
      other.put("arrival_pattern", schedule.pattern());
      if (schedule.keys() != null) {
        other.putAll(schedule.keys());
      }
    }
    if (schedule != null && !lag.isEmpty()) {
      other.putAll(lag.toMetadata(allAtOnce, schedule.maxConcurrency() != null));
    }
    List<LoadWindows.Window> windows = schedule != null && schedule.varies() && !lag.isEmpty() ? windows(m) : List.of();
    if (!windows.isEmpty()) {
      other.put("load_windows", windows.stream().map(LoadWindows.Window::toMap).toList());
    }
    other.putAll(ImageTokenCounts.of(succeeded(m, m.inputLens()), info.metadata()));
    if (!turns.isEmpty()) {
      other.putAll(turns.toMetadata());
    }
    long startMs = level.minStartEpochMs();
    long endMs = startMs + Math.round(m.duration() * 1000);
    Object engine = other.containsKey("server_metrics_engine") ? other.get("server_metrics_engine")
        : c.scrapes().isEmpty() ? null : "server"; // an interrupted run's facts were kept before the first scrape
    LevelTelemetry server = null;
    try {
      server = engine == null ? null : LevelTelemetry.of(engine.toString(), c.scrapes(), label, startMs, endMs);
    } catch (RuntimeException e) { // the server's numbers are a second opinion: never lose ours for them
      console.println("warning: the server metrics of " + label + " could not be summarised: " + e);
    }
    if (server != null) {
      other.putAll(server.toMetadata());
    }
    ModelMetrics.Result extra = model.finish(info.percentiles(), m.duration());
    other.putAll(ModelKeys.of(extra, info.percentiles()));
    List<String> answerLines = new ArrayList<>();
    if (other.get("batch_size") instanceof Number batch && m.duration() > 0) { // a pooling endpoint's inputs
      double perS = m.completed() * batch.doubleValue() / m.duration();
      other.put("inputs_per_s", perS);
      answerLines.add(String.format(java.util.Locale.ROOT, "inputs: %.2f/s (%d per request)", perS, batch.intValue()));
    }
    other.putAll(answers.keys(info.percentiles(), answerLines));
    List<String> warnings = warnings(c, m, schedule, inputs);
    String lengths = ModelKeys.lengthWarning(extra.outputLengths(), info.metadata());
    if (lengths != null) {
      warnings.add(lengths);
    }
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < m.numPrompts(); i++) {
      errors.add(m.perRequest().error(i));
    }
    for (String metric : info.percentileMetrics()) {
      LevelMetrics.Summary s = m.summaries().get(metric);
      other.put("mean_" + metric + "_ms", s.mean());
      other.put("median_" + metric + "_ms", s.median());
      other.put("std_" + metric + "_ms", s.std());
      s.percentiles().forEach((p, v) -> other.put("p" + ConsoleBlock.percentileWord(p) + "_" + metric + "_ms", v));
    }
    boolean byRequest = info.byRequest();
    if (byRequest) {
      other.put(LevelResult.REQUEST_NAME, label);
    }
    // a file's lengths vary, and a user's simulation plans none
    boolean dataset = byRequest || info.metadata() != null && info.metadata().containsKey("dataset_name");
    LevelResult r = new LevelResult(c.date(), info.endpointType(), info.endpointType(), info.modelId(),
        info.tokenizerId(), m.numPrompts(), LevelResult.TOOL, info.profile(), label,
        dataset ? null : shape.inputLen(), dataset ? null : shape.outputLen(), c.gatlingRun(),
        info.baseUrl(), info.maxModelLen(), schedule == null ? null : schedule.arrivalSeed(), startMs, endMs,
        FailureKinds.count(errors), warnings,
        schedule == null ? Double.POSITIVE_INFINITY : Arrivals.parseRate(schedule.requestRate()),
        schedule == null ? 1.0 : schedule.burstiness(),
        schedule != null ? schedule.maxConcurrency() : byRequest ? null : Integer.valueOf(shape.concurrency()),
        m.duration(), m.completed(), m.failed(), m.totalInput(), m.totalOutput(), m.requestThroughput(),
        m.requestGoodput(), m.outputThroughput(), m.totalTokenThroughput(),
        m.inputLens().stream().mapToInt(Integer::intValue).toArray(),
        m.outputLens().stream().mapToInt(Integer::intValue).toArray(),
        m.ttfts().stream().mapToDouble(Double::doubleValue).toArray(), null,
        m.latencies().stream().mapToDouble(Double::doubleValue).toArray(),
        m.startTimes().stream().mapToDouble(Double::doubleValue).toArray(), null, null,
        m.maxOutputTokensPerS(), m.maxConcurrentRequests(), other);
    String load = schedule == null ? "concurrency " + shape.concurrency()
        : schedule.description() != null ? schedule.description()
        : new Arrivals(Arrivals.parseRate(schedule.requestRate()), schedule.burstiness(), schedule.maxConcurrency())
            .describe();
    List<String> lines = new ArrayList<>();
    if (schedule != null && !lag.isEmpty()) {
      lines.add(lag.consoleLine(allAtOnce));
    }
    if (!windows.isEmpty()) {
      lines.addAll(LoadWindows.consoleLines(windows));
    }
    lines.add(BLOCK);
    lines.addAll(ModelKeys.consoleLines(extra, info.percentiles()));
    lines.addAll(answerLines);
    if (server != null) {
      LevelMetrics.Summary ttft = m.summaries().get("ttft");
      lines.add(server.consoleLine(ttft == null ? Double.NaN : ttft.mean()));
    }
    if (!turns.isEmpty()) {
      lines.add(turns.consoleLine());
    }
    if (!r.failuresByKind().isEmpty()) {
      lines.add("failures by kind: " + FailureKinds.describe(r.failuresByKind()));
    }
    warnings.forEach(w -> lines.add("warning: " + w));
    String heading = byRequest ? "[" + info.profile() + " " + label + ": " + m.numPrompts() + " requests]"
        : "[" + info.profile() + " " + label + ": " + load + ", " + shape.inputLen() + " in / " + shape.outputLen()
            + " out, " + m.numPrompts() + " prompts]";
    return new Summarised(r, m, heading, lines,
        m.completed() == 0 && m.numPrompts() > 0 ? m.perRequest().error(0) : null);
  }

  private static <T> List<T> succeeded(LevelMetrics m, List<T> values) {
    List<T> out = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      String error = m.perRequest().error(i);
      if (error == null || error.isEmpty()) {
        out.add(values.get(i));
      }
    }
    return out;
  }

  /** The level cut into windows of time: what the schedule asked, what was sent, and TTFT, in each. */
  private List<LoadWindows.Window> windows(LevelMetrics m) {
    int n = m.startTimes().size();
    double[] start = new double[n];
    double[] ttft = new double[n];
    boolean[] ok = new boolean[n];
    for (int i = 0; i < n; i++) {
      start[i] = m.startTimes().get(i);
      ttft[i] = m.ttfts().get(i);
      String error = m.perRequest().error(i);
      ok[i] = error == null || error.isEmpty();
    }
    return LoadWindows.of(lag.dueS(), start, ttft, ok);
  }

  /** The level's users and requested lengths: from the run's facts, or (an older run folder) its first record. */
  private record Shape(int concurrency, int inputLen, int outputLen) {
    static Shape of(RunInfo.LevelInputs inputs, RequestRecord first) {
      return inputs != null && inputs.inputLen() != null
          ? new Shape(inputs.concurrency(), inputs.inputLen(), inputs.outputLen())
          : new Shape(first.concurrency(), first.requestedInput(), first.requestedOutput());
    }
  }

  private static Map<String, Object> clientKeys(ClientDiagnosis.Level c, long chunks) {
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("client_cpu_ms", c.cpuMs());
    k.put("client_cpu_us_per_chunk", chunks == 0 ? 0 : c.cpuMs() * 1e3 / chunks);
    k.put("client_cpu_by_thread_ms", c.cpuByThreadMs());
    k.put("client_jit_ms", c.jitMs());
    k.put("client_gc_pause_ms", c.gcPauseMs());
    k.put("client_gc_count", c.gcCount());
    k.put("client_event_loops", c.eventLoops());
    k.put("client_event_loop_lag_p50_ms", c.lagP50Ms());
    k.put("client_event_loop_lag_p99_ms", c.lagP99Ms());
    k.put("client_event_loop_lag_max_ms", c.lagMaxMs());
    k.put("client_first_chunk_lag_mean_ms", c.firstChunkLagMeanMs());
    k.put("client_first_chunk_lag_max_ms", c.firstChunkLagMaxMs());
    k.put("client_disturbed", !c.disturbances().isEmpty());
    return k;
  }

  private List<String> warnings(PostProcessor.Context c, LevelMetrics m, RunInfo.Schedule schedule,
      RunInfo.LevelInputs inputs) {
    List<String> warnings = new ArrayList<>(c.info().notes());
    if (c.interrupted()) {
      warnings.add("the run was interrupted: the last level holds only the requests that finished");
    }
    warnings.addAll(crossCheck(level.size(), m, c.gatlingCounts()));
    String late = schedule != null && !lag.isEmpty() ? lag.warning() : null;
    if (late != null) {
      warnings.add(late);
    }
    for (double p : c.info().percentiles()) {
      int needed = (int) Math.ceil(100.0 / (100.0 - p));
      if (c.info().percentileMetrics().contains("ttft") && m.completed() > 0 && m.completed() < needed) {
        warnings.add("P" + ConsoleBlock.percentileWord(p) + " TTFT/TPOT/E2EL rest on only " + m.completed()
            + " requests (at least " + needed + " needed for that percentile to differ from the maximum);"
            + " raise the rounds for a meaningful tail");
      }
    }
    if (inputs != null && inputs.client() != null) {
      warnings.addAll(inputs.client().disturbances());
    }
    if (inputs != null && inputs.warnings() != null) {
      warnings.addAll(inputs.warnings());
    }
    if (inputs != null && inputs.end() != null) {
      warnings.addAll(inputs.end().warnings());
    }
    return warnings;
  }

  private List<String> crossCheck(int records, LevelMetrics m, Map<String, int[]> counts) {
    List<String> out = new ArrayList<>();
    int[] n = counts.get(label);
    if (n == null) {
      if (!counts.isEmpty()) {
        out.add("simulation.log has no requests for level " + label);
      }
      return out;
    }
    if (n[0] != records) {
      out.add("simulation.log counts " + n[0] + " requests for " + label + " but " + records + " token records exist");
    }
    int gatlingFailed = Math.max(n[1], Math.min(n[2], n[0]));
    if (gatlingFailed > m.failed()) {
      out.add("Gatling marked " + gatlingFailed + " requests KO, the token records " + m.failed()
          + " (streams that ended without [DONE] but with a finish_reason count as successes here)");
    }
    return out;
  }

  @Override
  public void close() {
    level.close();
    answers.close();
  }
}
