package llmbench.report.html;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import llmbench.capacity.CapacitySearch;
import llmbench.capacity.Probe;
import llmbench.capacity.SloTargets;

/** capacity.html: each target's value at every probe against its limit, the answer and the probe table; offline. */
public final class CapacityPage {
  public static final String FILE_NAME = "capacity.html";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CapacityPage() {}

  public static Path write(CapacitySearch.Answer a, SloTargets slo, Path out) throws IOException {
    Path file = out.resolve(FILE_NAME);
    Files.writeString(file, render(a, slo), StandardCharsets.UTF_8);
    return file;
  }

  static String render(CapacitySearch.Answer a, SloTargets slo) throws IOException {
    String unit = a.by() == CapacitySearch.By.CONCURRENCY ? "concurrency" : "request rate (req/s)";
    StringBuilder h = new StringBuilder(1 << 18);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>gatling-llm-bench: capacity")
        .append("</title>\n<style>").append(ReportPage.resource("llmbench/report/html/report.css"))
        .append("tr.broken td { background: #fbd5d5; }</style></head><body>\n<h1>Capacity under ")
        .append(ReportPage.esc(a.slo())).append("</h1>\n<p id=\"report-status\">charts not drawn (scripts off?)</p>")
        .append("<pre id=\"report-errors\"></pre>\n<p><b>").append(ReportPage.esc(a.summary())).append("</b></p>\n<p>")
        .append(ReportPage.esc("how sure: " + a.confidence())).append("</p>\n");
    if (!a.serverAtLimit().isEmpty()) {
      h.append("<p>the server at the first load that broke: ").append(ReportPage.esc(CapacitySearch.describeServer(a.serverAtLimit())))
          .append("</p>\n");
    }
    h.append("<div class=\"grid\">");
    for (SloTargets.Target t : slo.targets()) {
      h.append("<div class=\"box\"><canvas id=\"chart-").append(t.name()).append("\"></canvas></div>");
    }
    h.append("</div>\n<h2>Probes, in the order measured</h2><div class=\"scroll\"><table class=\"num\"><tr><th>probe</th><th>")
        .append(unit).append("</th><th>repeat</th>");
    slo.targets().forEach(t -> h.append("<th>").append(ReportPage.esc(t.name() + " ms (≤ " + llmbench.capacity.Probe.trim(t.limitMs()) + ")")).append("</th>"));
    h.append("<th>failed</th><th>goodput req/s</th><th>verdict</th><th>result</th></tr>\n");
    for (Probe p : a.probes()) {
      h.append(p.met() ? "<tr>" : "<tr class=\"broken\">").append("<td>").append(ReportPage.esc(p.label()))
          .append("</td><td>").append(CapacitySearch.fmt(p.load())).append("</td><td>").append(p.repeat()).append("</td>");
      for (SloTargets.Target t : slo.targets()) {
        h.append("<td>").append(String.format(java.util.Locale.ROOT, "%.1f", p.values().get(t.name()))).append("</td>");
      }
      h.append("<td>").append(p.failed()).append("</td><td>")
          .append(p.goodput() == null ? "" : String.format(java.util.Locale.ROOT, "%.2f", p.goodput())).append("</td><td>")
          .append(p.met() ? "met" : ReportPage.esc(String.join("; ", p.broken()))).append("</td><td>")
          .append(ReportPage.esc(p.resultFile())).append("</td></tr>\n");
    }
    h.append("</table></div>\n");
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("unit", unit);
    data.put("targets", slo.targets().stream().map(t -> Map.of("name", t.name(), "limit", t.limitMs())).toList());
    data.put("probes", a.probes().stream().map(p -> Map.of("load", p.load(), "met", p.met(), "values", p.values(),
        "label", p.label())).toList());
    h.append("<script type=\"application/json\" id=\"report-data\">").append(ReportPage.scriptSafe(JSON.writeValueAsString(data)))
        .append("</script>\n<script>").append(ReportPage.scriptSafe(ReportPage.chartJs())).append("</script>\n<script>")
        .append(ReportPage.scriptSafe(ReportPage.resource("llmbench/report/html/capacity.js"))).append("</script>\n</body></html>\n");
    return h.toString();
  }
}
