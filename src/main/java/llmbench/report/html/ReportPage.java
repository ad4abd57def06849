package llmbench.report.html;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sweep report as one self-contained HTML file ({@link Page}): the tables are plain HTML (readable
 * without scripts), the charts are drawn by Chart.js from the model's data.
 */
public final class ReportPage {
  public static final String FILE_NAME = "report.html";
  private static final String[][] SERVER_COLUMNS = {{"server_running_mean", "running mean"},
      {"server_running_max", "running max"}, {"server_waiting_mean", "waiting mean"},
      {"server_waiting_max", "waiting max"}, {"server_kv_cache_usage_max_pct", "KV cache max %"},
      {"server_preemptions", "preemptions"}, {"server_prefix_cache_hit_rate", "prefix-cache hit rate"},
      {"server_mean_ttft_ms", "server mean TTFT ms"}, {"client_mean_ttft_ms", "client mean TTFT ms"},
      {"server_mean_itl_ms", "server mean ITL ms"}, {"client_mean_itl_ms", "client mean ITL ms"},
      {"server_mean_queue_ms", "server mean queue ms"},
      {"server_spec_acceptance_rate", "speculative acceptance"},
      {"server_spec_mean_acceptance_length", "mean acceptance length"}, {"server_restarted", "restarted"}};

  record Row(boolean failed, List<String> cells) {}

  record Warning(String level, String text) {}

  record Level(int index, String name, String load, int inputLen, int outputLen, boolean windows) {}

  /** What report.mustache reads. */
  record View(String percentile, List<String> header, List<Row> rows, List<Warning> warnings, String loadAxis,
      List<String> sweepCharts, double binSeconds, List<String> timelineCharts, List<Level> levels,
      List<String> serverColumns, List<Row> serverRows, List<ReportModel.Setting> settings, String engineParams,
      List<ReportModel.Link> gatlingReports) {
    public boolean hasWarnings() {
      return !warnings.isEmpty();
    }

    public boolean hasServer() {
      return !serverRows.isEmpty();
    }
  }

  private ReportPage() {}

  public static Path write(ReportModel m, Path out) throws IOException {
    return Page.write(out.resolve(FILE_NAME), render(m));
  }

  static String render(ReportModel m) throws IOException {
    return Page.render(m.title(), "", "report.mustache", view(m), m, "report.js");
  }

  private static View view(ReportModel m) {
    List<Row> rows = new ArrayList<>();
    List<Warning> warnings = new ArrayList<>();
    List<Level> levels = new ArrayList<>();
    List<Row> server = new ArrayList<>();
    boolean anyServer = m.levels().stream().anyMatch(l -> !l.server().isEmpty());
    for (int i = 0; i < m.levels().size(); i++) {
      ReportModel.LevelView l = m.levels().get(i);
      rows.add(new Row(l.failed() > 0, l.cells()));
      l.warnings().forEach(w -> warnings.add(new Warning(l.name(), w)));
      levels.add(new Level(i, l.name(), l.loadText(), l.inputLen(), l.outputLen(), !l.windows().isEmpty()));
      if (anyServer) {
        List<String> cells = new ArrayList<>(List.of(l.name()));
        for (String[] c : SERVER_COLUMNS) {
          Object v = switch (c[0]) {
            case "client_mean_ttft_ms" -> l.stats().get("ttft").mean();
            case "client_mean_itl_ms" -> l.stats().get("itl").mean();
            default -> l.server().get(c[0]);
          };
          cells.add(v instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : v == null ? "" : v.toString());
        }
        server.add(new Row(false, cells));
      }
    }
    List<String> columns = new ArrayList<>();
    for (String[] c : SERVER_COLUMNS) {
      columns.add(c[1]);
    }
    return new View(m.percentile(), m.summaryHeader(), rows, warnings, m.loadAxis(),
        m.reasoning() ? List.of("ttft", "ttfo", "tpot", "itl", "e2el", "throughput", "latency-throughput")
            : List.of("ttft", "tpot", "itl", "e2el", "throughput", "latency-throughput"), m.timeline().binSeconds(),
        List.of("client", "server", "gpu"), levels, columns, server, m.settings(), m.engineParams(), m.gatlingReports());
  }
}
