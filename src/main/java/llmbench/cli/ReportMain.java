package llmbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import llmbench.report.html.ReportCharts;
import llmbench.report.html.ReportModel;
import llmbench.report.html.ReportPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./report.sh [OUTPUT_FOLDER]}: (re)writes a sweep's report.html and PNG charts. */
@Command(name = "report.sh", mixinStandardHelpOptions = true,
    description = "Writes report.html (self-contained, offline) and report_*.png for a sweep's output folder "
        + "(run_test.sh and run_vision_test.sh write them at the end of every sweep; this redraws one, "
        + "e.g. an archived sweep under output/archive/<date>/).",
    footer = {"%nExamples:", "  ./report.sh", "  ./report.sh output/vision_512x512",
        "  ./report.sh output/archive/20261201-101500"})
public final class ReportMain implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", description = "The output folder (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("output");

  public static void main(String[] args) {
    System.exit(Cli.run(new ReportMain(), args));
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(out)) {
      throw new IllegalArgumentException(out + " is not a folder: give a sweep's output folder");
    }
    ReportModel model = ReportModel.of(out); // one line, status 2, for a folder without results
    System.out.println("report: " + ReportPage.write(model, out));
    for (Path png : ReportCharts.write(model, out)) {
      System.out.println("chart: " + png);
    }
    System.out.println("timeline: " + ReportCharts.writeTimelineCsv(model, out));
    return Cli.OK;
  }
}
