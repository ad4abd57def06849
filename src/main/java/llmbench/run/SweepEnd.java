package llmbench.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import llmbench.report.MemUsage;
import llmbench.report.SweepSummary;
import llmbench.report.html.ReportCharts;
import llmbench.report.html.ReportModel;
import llmbench.report.html.ReportPage;
import llmbench.report.SpreadBlock;
import llmbench.results.LevelResult;
import llmbench.results.LevelSpread;
import llmbench.server.GpuSample;
import llmbench.server.GpuSampler;
import llmbench.server.NvidiaSmi;
import llmbench.server.GpuSamplesCsv;
import llmbench.telemetry.MetricsScraper;
import llmbench.telemetry.TelemetryCsv;

/**
 * What a sweep writes once its levels ran (or it was stopped): mem_usage.txt, the summary, Gatling's
 * reports and the server's metrics beside the results, the GPU samples, and the report. Each part
 * that fails costs that part only, never the results.
 */
public final class SweepEnd {
  private final Path out;
  private final Path gatlingResults;
  private final PrintStream console;
  private final FullResults full;
  private final double confidence;

  /** The results with their per-request arrays, which the report's charts draw. */
  public interface FullResults {
    List<LevelResult> read() throws IOException;
  }

  public SweepEnd(Path out, Path gatlingResults, PrintStream console, FullResults full) {
    this(out, gatlingResults, console, full, llmbench.config.Repeats.ONCE.confidence());
  }

  /** @param confidence the level of a repeated level's interval over its runs */
  public SweepEnd(Path out, Path gatlingResults, PrintStream console, FullResults full, double confidence) {
    this.out = out;
    this.gatlingResults = gatlingResults;
    this.console = console;
    this.full = full;
    this.confidence = confidence;
  }

  void write(List<LevelResult> results, GpuSampler sampler, int gpuIntervalMs) {
    write(results, sampler.unavailable(), gpuIntervalMs, sampler.samples(), sampler.processSnapshots());
  }

  /** The same from GPU readings taken elsewhere (a merge of shards: shard 0's). */
  public void write(List<LevelResult> results, String gpuUnavailable, int gpuIntervalMs, List<GpuSample> samples,
      List<List<NvidiaSmi.GpuProcess>> processes) {
    try {
      List<MemUsage.Window> windows = results.stream().map(MemUsage.Window::of).toList();
      Files.writeString(out.resolve("mem_usage.txt"), MemUsage.render(gpuUnavailable, gpuIntervalMs,
          samples, windows, processes));
      Map<String, Double> peaks = MemUsage.peakPerWindow(samples, windows);
      List<SweepSummary.Row> rows = results.stream().map(r -> new SweepSummary.Row(r, peaks.get(r.name()))).toList();
      List<LevelSpread> spreads = LevelSpread.of(results, confidence);
      Files.writeString(out.resolve("summary.csv"), SweepSummary.csv(rows, spreads));
      if (!spreads.isEmpty()) {
        LevelSpread.write(out.resolve(LevelSpread.FILE_NAME), confidence, spreads);
      }
      String md = SweepSummary.markdown(rows);
      Files.writeString(out.resolve("summary.md"), md);
      copyGatlingReports(results);
      mergeServerMetrics(results);
      GpuSamplesCsv.write(out.resolve(GpuSamplesCsv.FILE_NAME), samples);
      console.println("\n=== sweep summary (" + out.resolve("summary.md") + ") ===\n" + md);
      if (!spreads.isEmpty()) {
        console.println("=== run-to-run spread (" + out.resolve(LevelSpread.FILE_NAME) + ") ===");
        spreads.forEach(sp -> console.println(SpreadBlock.render(sp)));
      }
      writeReport(results);
    } catch (IOException | RuntimeException e) {
      System.err.println("error: could not write the summary: " + e.getMessage());
    }
  }

  /** The profiles' server_metrics.csv as one file for the sweep, each level named with its profile. */
  private void mergeServerMetrics(List<LevelResult> results) throws IOException {
    List<TelemetryCsv.Scrape> all = new ArrayList<>();
    Map<String, String> profileOfRun = new LinkedHashMap<>();
    results.forEach(r -> profileOfRun.putIfAbsent(r.gatlingRun(), r.profile()));
    for (Map.Entry<String, String> run : profileOfRun.entrySet()) {
      for (TelemetryCsv.Scrape s : TelemetryCsv.read(out.resolve("gatling").resolve(run.getKey())
          .resolve(MetricsScraper.FILE_NAME))) {
        all.add(new TelemetryCsv.Scrape(s.epochMs(), s.level().isEmpty() ? "" : run.getValue() + " " + s.level(),
            s.event(), s.values()));
      }
    }
    if (!all.isEmpty()) {
      TelemetryCsv.write(out.resolve(MetricsScraper.FILE_NAME), all);
    }
  }

  /** report.html and its PNG charts. */
  private void writeReport(List<LevelResult> results) {
    if (results.isEmpty()) {
      return;
    }
    try {
      ReportModel model = ReportModel.of(out, full.read(), confidence);
      Path page = ReportPage.write(model, out);
      ReportCharts.write(model, out);
      ReportCharts.writeTimelineCsv(model, out);
      console.println("report: " + page + " (charts also as " + out.resolve("report_*.png") + ")");
    } catch (IOException | RuntimeException e) {
      System.err.println("error: could not write the HTML report: " + e);
    }
  }

  /** Gatling's HTML reports of this run, copied under the output folder so it travels whole. */
  private void copyGatlingReports(List<LevelResult> results) throws IOException {
    for (String run : results.stream().map(LevelResult::gatlingRun).distinct().toList()) {
      Path src = gatlingResults.resolve(run);
      Path dst = out.resolve("gatling").resolve(run);
      if (Files.isDirectory(src) && !Files.exists(dst)) {
        try (Stream<Path> walk = Files.walk(src)) {
          for (Path p : walk.toList()) {
            Path t = dst.resolve(src.relativize(p).toString());
            if (Files.isDirectory(p)) {
              Files.createDirectories(t);
            } else {
              Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
            }
          }
        }
      }
    }
  }
}
