package llmbench.report.html;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbench.compare.CompareTables;
import llmbench.compare.Comparison;
import llmbench.compare.RunResults;

/**
 * compare.html: the comparison's tables (changes beyond the noise coloured) and overlaid charts, one
 * line per run, in the sweep report's style and, like it, self-contained (Chart.js inlined).
 */
public final class ComparePage {
  public static final String FILE_NAME = "compare.html";
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String[] CHARTS = {"p99_ttft_ms", "median_ttft_ms", "p99_tpot_ms", "p99_itl_ms", "p99_e2el_ms",
      "output_throughput", "latency-throughput"};

  /** What the charts draw: per run, per level, its shape and values. */
  record Series(String run, String profile, List<Map<String, Object>> points) {}

  private ComparePage() {}

  public static Path write(Comparison.Result r, String markdownName, Path out) throws IOException {
    Path file = out.resolve(FILE_NAME);
    Files.writeString(file, render(r, markdownName), StandardCharsets.UTF_8);
    return file;
  }

  static String render(Comparison.Result r, String markdownName) throws IOException {
    StringBuilder h = new StringBuilder(1 << 19);
    String title = "gatling-llm-bench: " + String.join(" vs ", r.runs().stream().map(RunResults::name).toList());
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(ReportPage.esc(title))
        .append("</title>\n<style>").append(ReportPage.resource("llmbench/report/html/report.css"))
        .append("td.worse { background: #fbd5d5; } td.better { background: #d5f5dd; } tr.differs th { background: #fff3c4; }")
        .append("</style></head><body>\n<h1>").append(ReportPage.esc(title)).append("</h1>\n")
        .append("<p id=\"report-status\">charts not drawn (scripts off?)</p><pre id=\"report-errors\"></pre>\n<ul>");
    for (int i = 0; i < r.runs().size(); i++) {
      RunResults run = r.runs().get(i);
      h.append("<li><b>").append(ReportPage.esc(run.name())).append("</b>").append(i == 0 ? " (baseline)" : "")
          .append(": ").append(ReportPage.esc(run.path().toString())).append("</li>");
    }
    h.append("</ul><p>Changes against the baseline; coloured when beyond the noise (the per-request samples, p &lt; ")
        .append(Comparison.ALPHA).append(": means by Welch's t-test, medians by Mann–Whitney U, percentiles by binomial "
        + "tests of the requests above the other run's percentile, both ways). Also as ").append(ReportPage.esc(markdownName))
        .append(" and compare.csv.</p>\n<h2>Charts</h2><div class=\"grid\">");
    for (String c : CHARTS) {
      h.append("<div class=\"box\"><canvas id=\"chart-").append(c).append("\"></canvas></div>");
    }
    h.append("</div>\n");
    List<String[]> engine = CompareTables.engineRows(r);
    if (!engine.isEmpty()) {
      h.append("<h2>Engine parameters (differences highlighted)</h2><div class=\"scroll\"><table><tr><th>parameter</th>");
      r.runs().forEach(run -> h.append("<th>").append(ReportPage.esc(run.name())).append("</th>"));
      h.append("</tr>\n");
      for (String[] row : engine) {
        h.append(row[row.length - 1] != null ? "<tr class=\"differs\">" : "<tr>").append("<th>")
            .append(ReportPage.esc(row[0])).append("</th>");
        for (int i = 1; i < row.length - 1; i++) {
          h.append("<td>").append(row[i] == null ? "" : ReportPage.esc(row[i])).append("</td>");
        }
        h.append("</tr>\n");
      }
      h.append("</table></div>\n");
    }
    h.append("<h2>Per level</h2>\n");
    for (Comparison.MatchedLevel level : r.levels()) {
      h.append("<h3>").append(ReportPage.esc(level.name())).append("</h3><div class=\"scroll\"><table class=\"num\"><tr><th>metric</th>");
      r.runs().forEach(run -> h.append("<th>").append(ReportPage.esc(run.name())).append("</th>"));
      h.append("</tr>\n");
      for (Comparison.Row row : level.rows()) {
        h.append("<tr><td>").append(row.metric()).append("</td>");
        for (Comparison.Cell c : row.cells()) {
          String cls = c.verdict() == Comparison.Verdict.WORSE ? " class=\"worse\""
              : c.verdict() == Comparison.Verdict.BETTER ? " class=\"better\"" : "";
          h.append("<td").append(cls).append(">").append(ReportPage.esc(CompareTables.cell(c).replace("**", "")))
              .append("</td>");
        }
        h.append("</tr>\n");
      }
      h.append("</table></div>\n");
    }
    if (!r.unmatched().isEmpty()) {
      h.append("<h2>Levels without a match</h2><ul>");
      r.unmatched().forEach(u -> h.append("<li>").append(ReportPage.esc(u)).append("</li>"));
      h.append("</ul>\n");
    }
    h.append("<script type=\"application/json\" id=\"report-data\">").append(ReportPage.scriptSafe(JSON.writeValueAsString(
        Map.of("series", series(r))))).append("</script>\n");
    h.append("<script>").append(ReportPage.scriptSafe(ReportPage.chartJs())).append("</script>\n");
    h.append("<script>").append(ReportPage.scriptSafe(ReportPage.resource("llmbench/report/html/compare.js")))
        .append("</script>\n</body></html>\n");
    return h.toString();
  }

  static List<Series> series(Comparison.Result r) {
    List<Series> out = new ArrayList<>();
    for (RunResults run : r.runs()) {
      Map<String, List<Map<String, Object>>> byProfile = new LinkedHashMap<>();
      for (RunResults.Level l : run.levels()) {
        Map<String, Object> p = new LinkedHashMap<>(l.values());
        p.put("concurrency", l.concurrency());
        byProfile.computeIfAbsent(l.profile(), k -> new ArrayList<>()).add(p);
      }
      byProfile.forEach((profile, points) -> out.add(new Series(run.name(), profile, points)));
    }
    return out;
  }
}
