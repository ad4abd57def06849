package llmbench.report.html;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The sweep report as one self-contained HTML file: the tables are plain HTML (readable without
 * scripts), the charts are drawn by Chart.js, inlined from its WebJar with our script and the
 * data, so that the page works on an offline server and travels as a single file (no CDN).
 */
public final class ReportPage {
  public static final String FILE_NAME = "report.html";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WEBJAR = "META-INF/resources/webjars/chart.js/";

  private ReportPage() {}

  public static Path write(ReportModel m, Path out) throws IOException {
    Path file = out.resolve(FILE_NAME);
    Path tmp = out.resolve(FILE_NAME + ".tmp");
    Files.writeString(tmp, render(m), StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  static String render(ReportModel m) throws IOException {
    StringBuilder h = new StringBuilder(1 << 20);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(m.title()))
        .append("</title>\n<style>").append(resource("llmbench/report/html/report.css")).append("</style></head><body>\n");
    h.append("<h1>").append(esc(m.title())).append("</h1>\n");
    h.append("<p id=\"report-status\">charts not drawn (scripts off?)</p><pre id=\"report-errors\"></pre>\n");
    h.append("<nav><a href=\"#summary\">summary</a> · <a href=\"#charts\">charts</a> · <a href=\"#timeline\">timeline</a>"
        + " · <a href=\"#levels\">levels</a> · <a href=\"#server\">server</a> · <a href=\"#engine\">engine and settings</a></nav>\n");
    summary(h, m);
    h.append("<h2 id=\"charts\">Latency and throughput against ").append(esc(m.loadAxis())).append("</h2>\n<div class=\"grid\">");
    for (String id : new String[] {"ttft", "tpot", "itl", "e2el", "throughput", "latency-throughput"}) {
      canvas(h, "chart-" + id, "box");
    }
    h.append("</div>\n<h2 id=\"timeline\">Sweep timeline</h2>\n<p>Levels shaded; the client's output tok/s and "
        + "requests in flight in bins of ").append(m.timeline().binSeconds()).append(" s, the server's own gauges "
        + "from its /metrics, the GPU from nvidia-smi.</p>\n");
    for (String id : new String[] {"client", "server", "gpu"}) {
      canvas(h, "chart-timeline-" + id, "wide");
    }
    h.append("<h2 id=\"levels\">Per level</h2>\n");
    for (int i = 0; i < m.levels().size(); i++) {
      ReportModel.LevelView l = m.levels().get(i);
      h.append("<h3>").append(esc(l.name())).append(" (").append(esc(l.loadText())).append(", ")
          .append(l.inputLen()).append(" in / ").append(l.outputLen()).append(" out)</h3>\n<div class=\"grid\">");
      canvas(h, "chart-" + i + "-ttft", "box");
      canvas(h, "chart-" + i + "-itl", "box");
      h.append("</div>");
      canvas(h, "chart-" + i + "-requests", "wide");
    }
    server(h, m);
    h.append("<h2 id=\"engine\">Engine parameters and settings</h2>\n<table>");
    for (ReportModel.Setting s : m.settings()) {
      h.append("<tr><th>").append(esc(s.name())).append("</th><td>").append(esc(s.value())).append("</td></tr>");
    }
    h.append("</table>\n<h3>engine_params.txt</h3><pre>").append(esc(m.engineParams())).append("</pre>\n");
    h.append("<h3>Gatling's reports</h3><ul>");
    for (ReportModel.Link l : m.gatlingReports()) {
      h.append("<li><a href=\"").append(esc(l.href())).append("\">").append(esc(l.name())).append("</a></li>");
    }
    h.append("</ul>\n<script type=\"application/json\" id=\"report-data\">")
        .append(scriptSafe(JSON.writeValueAsString(m))).append("</script>\n");
    h.append("<script>").append(scriptSafe(chartJs())).append("</script>\n");
    h.append("<script>").append(scriptSafe(resource("llmbench/report/html/report.js"))).append("</script>\n");
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void summary(StringBuilder h, ReportModel m) {
    h.append("<h2 id=\"summary\">Summary (").append(m.percentile()).append(" where a percentile is shown)</h2>\n")
        .append("<div class=\"scroll\"><table class=\"num\"><tr>");
    m.summaryHeader().forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
    h.append("</tr>\n");
    for (ReportModel.LevelView l : m.levels()) {
      h.append(l.failed() > 0 ? "<tr class=\"failed\">" : "<tr>");
      l.cells().forEach(c -> h.append("<td>").append(esc(c)).append("</td>"));
      h.append("</tr>\n");
    }
    h.append("</table></div>\n");
    boolean any = m.levels().stream().anyMatch(l -> !l.warnings().isEmpty());
    if (any) {
      h.append("<h3>Warnings</h3><ul class=\"warnings\">");
      for (ReportModel.LevelView l : m.levels()) {
        for (String w : l.warnings()) {
          h.append("<li><b>").append(esc(l.name())).append("</b>: ").append(esc(w)).append("</li>");
        }
      }
      h.append("</ul>\n");
    }
  }

  private static void server(StringBuilder h, ReportModel m) {
    h.append("<h2 id=\"server\">The server's own metrics per level</h2>\n");
    if (m.levels().stream().allMatch(l -> l.server().isEmpty())) {
      h.append("<p class=\"none\">No server metrics were recorded (no /metrics, or scraping was off).</p>\n");
      return;
    }
    String[][] cols = {{"server_running_mean", "running mean"}, {"server_running_max", "running max"},
        {"server_waiting_mean", "waiting mean"}, {"server_waiting_max", "waiting max"},
        {"server_kv_cache_usage_max_pct", "KV cache max %"}, {"server_preemptions", "preemptions"},
        {"server_prefix_cache_hit_rate", "prefix-cache hit rate"}, {"server_mean_ttft_ms", "server mean TTFT ms"},
        {"client_mean_ttft_ms", "client mean TTFT ms"}, {"server_mean_itl_ms", "server mean ITL ms"},
        {"client_mean_itl_ms", "client mean ITL ms"}, {"server_mean_queue_ms", "server mean queue ms"},
        {"server_restarted", "restarted"}};
    h.append("<div class=\"scroll\"><table class=\"num\"><tr><th>level</th>");
    for (String[] c : cols) {
      h.append("<th>").append(c[1]).append("</th>");
    }
    h.append("</tr>\n");
    for (ReportModel.LevelView l : m.levels()) {
      h.append("<tr><td>").append(esc(l.name())).append("</td>");
      for (String[] c : cols) {
        Object v = switch (c[0]) {
          case "client_mean_ttft_ms" -> l.stats().get("ttft").mean();
          case "client_mean_itl_ms" -> l.stats().get("itl").mean();
          default -> l.server().get(c[0]);
        };
        h.append("<td>").append(v instanceof Double d ? String.format(java.util.Locale.ROOT, "%.2f", d)
            : v == null ? "" : esc(v.toString())).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table></div>\n");
  }

  private static void canvas(StringBuilder h, String id, String cls) {
    h.append("<div class=\"").append(cls).append("\"><canvas id=\"").append(id).append("\"></canvas></div>");
  }

  /** Chart.js from its WebJar on the classpath, the version its pom.properties names. */
  static String chartJs() throws IOException {
    Properties p = new Properties();
    try (InputStream in = resourceStream("META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
      p.load(in);
    }
    return resource(WEBJAR + p.getProperty("version") + "/dist/chart.umd.min.js");
  }

  private static InputStream resourceStream(String name) {
    InputStream in = ReportPage.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new UncheckedIOException(new IOException("missing from the classpath: " + name));
    }
    return in;
  }

  static String resource(String name) throws IOException {
    try (InputStream in = resourceStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Inside a script element only "</" can end it early. */
  static String scriptSafe(String s) {
    return s.replace("</", "<\\/");
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

}
