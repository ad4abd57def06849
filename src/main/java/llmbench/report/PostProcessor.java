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
import java.util.Set;
import llmbench.gatlinglog.SimulationLog;
import llmbench.results.LevelResult;
import llmbench.results.ResultWriter;
import llmbench.stats.Slo;
import llmbench.stats.VllmMetrics;
import llmbench.telemetry.MetricsScraper;
import llmbench.telemetry.TelemetryCsv;
import llmbench.trace.RequestRecord;
import llmbench.trace.TraceFiles;

/**
 * Turns a run's per-request records into one vLLM-format {@link LevelResult} per level, written to the
 * Gatling run folder and the output folder, and prints vLLM's console block per level. The metrics
 * themselves are {@link VllmMetrics}'; {@link LevelSummary} adds our keys.
 */
public final class PostProcessor {
  private static final DateTimeFormatter VLLM_DATE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneId.systemDefault());

  /**
   * What a run's results are made from.
   *
   * @param runDir the Gatling run folder: the records ({@link TraceFiles#FILE_NAME}), simulation.log and
   *     the server's metrics; the results are written into it
   * @param outputDir where the results are copied (earlier ones with the same name archived); null for none
   * @param scrapes the server's metrics, or null to read them from the run folder
   * @param blocksShown levels whose block the console showed when they ended: each gets one line (its
   *     result file, its failures by kind as simulation.log refines them) instead
   */
  public record Input(RunInfo info, Path runDir, Path outputDir, List<TelemetryCsv.Scrape> scrapes,
      VllmMetrics.TextTokenCounter counter, Set<String> blocksShown) {}

  private PostProcessor() {}

  /** A run folder alone ({@code ./postprocess.sh}): its facts from its run-info.json. */
  public static List<LevelResult> process(Path runDir, Path outputDir, PrintStream console,
      VllmMetrics.TextTokenCounter counter) throws IOException {
    Path infoFile = runDir.resolve(RunInfo.FILE_NAME);
    if (!Files.isRegularFile(runDir.resolve(TraceFiles.FILE_NAME)) || !Files.isRegularFile(infoFile)) {
      throw new IllegalArgumentException(runDir + " is not a gatling-llm-bench run folder (no "
          + TraceFiles.FILE_NAME + " or " + RunInfo.FILE_NAME + ")");
    }
    return process(new Input(RunInfo.read(infoFile), runDir, outputDir, null, counter, Set.of()), console);
  }

  public static List<LevelResult> process(Input in, PrintStream console) throws IOException {
    // one pass over the records; each level keeps a few numbers per request in the heap and the
    // chunks in temporary files beside them, so memory does not grow with the chunks
    Map<String, LevelSummary> byLevel = new LinkedHashMap<>();
    List<LevelResult> results = new ArrayList<>();
    try {
      Path logFile = in.runDir().resolve("simulation.log");
      SimulationLog.Contents log = Files.isRegularFile(logFile) ? SimulationLog.read(logFile) : null;
      GatlingFailures failures = new GatlingFailures(log);
      TraceFiles.forEach(in.runDir().resolve(TraceFiles.FILE_NAME), r -> {
        if (!r.warmup()) {
          byLevel.computeIfAbsent(r.level(), k -> new LevelSummary(k, in.runDir(), in.counter(),
              fixedOutput(in.info()))).add(failures.refine(r));
        }
      });
      Context c = new Context(in.info(), Slo.parse(in.info().goodput()), gatlingCounts(log),
          in.scrapes() != null ? in.scrapes() : TelemetryCsv.read(in.runDir().resolve(MetricsScraper.FILE_NAME)),
          in.runDir().getFileName().toString(), in.runDir().getFileName().toString().startsWith("interrupted"));
      if (in.outputDir() != null) {
        Files.createDirectories(in.outputDir());
      }
      for (LevelSummary level : byLevel.values()) {
        LevelSummary.Written w = level.write(c, in.runDir(), console);
        if (in.outputDir() != null) {
          Path target = in.outputDir().resolve(w.result().fileName());
          archiveExisting(target, in.outputDir());
          Files.copy(w.file(), target);
        }
        Path shown = in.outputDir() != null ? in.outputDir().resolve(w.result().fileName()) : w.file();
        if (in.blocksShown().contains(level.label())) {
          console.println("[" + in.info().profile() + " " + level.label() + "] result: " + shown
              + (w.result().failuresByKind().isEmpty() ? ""
                  : "; failures by kind: " + llmbench.trace.FailureKinds.describe(w.result().failuresByKind())));
        } else {
          w.print(console);
        }
        results.add(w.result().summary());
        level.close();
      }
    } finally {
      byLevel.values().forEach(LevelSummary::close);
    }
    return results;
  }

  /**
   * A level's result from its records in memory, as the end will compute it (failures not yet refined
   * by simulation.log, which names their HTTP status), and its block on {@code console} unless null;
   * nothing is written.
   */
  public static LevelResult block(RunInfo info, String label, List<RequestRecord> records,
      List<TelemetryCsv.Scrape> scrapes, VllmMetrics.TextTokenCounter counter, PrintStream console) {
    try (LevelSummary level = new LevelSummary(label, Path.of(System.getProperty("java.io.tmpdir")), counter,
        fixedOutput(info))) {
      records.forEach(level::add);
      PrintStream out = console != null ? console : new PrintStream(java.io.OutputStream.nullOutputStream());
      LevelSummary.Summarised s = level.summarise(new Context(info, Slo.parse(info.goodput()), Map.of(), scrapes, null,
          false), out);
      s.print(out);
      return s.result();
    }
  }

  /** A dataset's requests ask each their own output length; random prompts all the same. */
  private static boolean fixedOutput(RunInfo info) {
    return !info.byRequest() && (info.metadata() == null || !info.metadata().containsKey("dataset_name")
        && !info.metadata().containsKey("answers_shaped")) && !"openai-responses".equals(info.endpointType());
  }

  /** What every level of a run shares. {@code gatlingRun} is null for a block shown before the end. */
  record Context(RunInfo info, Slo slo, Map<String, int[]> gatlingCounts, List<TelemetryCsv.Scrape> scrapes,
      String gatlingRun, boolean interrupted) {
    String date() {
      return VLLM_DATE.format(Instant.ofEpochMilli(info.startEpochMs()));
    }
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

  /**
   * Per level group: [requests, failed requests, failed checks] from simulation.log: the LLM action's
   * one request per call ({@code NAME: TTFT}), or in older run folders its E2EL entries or Gatling's
   * SSE connects and failed checks.
   */
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
      if (r.name().endsWith(GatlingNames.TTFT_SUFFIX) || r.name().equals(GatlingNames.E2EL)
          || r.name().equals(GatlingNames.CONNECT)) {
        n[0]++;
        n[1] += r.ok() ? 0 : 1;
      } else if (!r.ok()) {
        n[2]++;
      }
    }
    return counts;
  }
}
