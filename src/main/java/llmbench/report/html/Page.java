package llmbench.report.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The skeleton of every page (report, comparison, capacity): one self-contained HTML file whose body
 * comes from a Mustache template (every value HTML-escaped unless the template writes it with triple
 * braces), its chart data as JSON, Chart.js inlined from its WebJar and the page's script, so that it
 * works on an offline server and travels as a single file (no CDN).
 */
public final class Page {
  private static final String DIR = "llmbench/report/html/";
  private static final String WEBJAR = "META-INF/resources/webjars/chart.js/";
  private static final MustacheFactory TEMPLATES = new DefaultMustacheFactory(DIR);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the skeleton shows around the body; {@code css} adds rules to the shared style sheet. */
  private record Skeleton(String title, String heading, String css, String body, String data, String chartJs,
      String script) {}

  private Page() {}

  /**
   * @param template the body's template under {@code llmbench/report/html/}, e.g. {@code report.mustache}
   * @param view what the body's template reads
   * @param data the charts' data, as JSON in the page
   * @param script the page's own script under {@code llmbench/report/html/}
   */
  public static String render(String title, String extraCss, String template, Object view, Object data, String script)
      throws IOException {
    Skeleton s = new Skeleton(title, title, resource(DIR + "report.css") + extraCss, fill(template, view),
        scriptSafe(json(data)), scriptSafe(chartJs()), scriptSafe(resource(DIR + script)));
    return fill("page.mustache", s);
  }

  /** Writes the page whole or not at all (a reader never finds half a page). */
  public static Path write(Path file, String html) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, html, StandardCharsets.UTF_8);
    return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
  }

  static String fill(String template, Object view) {
    Mustache m = TEMPLATES.compile(template);
    StringWriter w = new StringWriter();
    m.execute(w, view);
    return w.toString();
  }

  private static String json(Object data) {
    try {
      return JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Chart.js from its WebJar on the classpath, the version its pom.properties names. */
  static String chartJs() throws IOException {
    Properties p = new Properties();
    try (InputStream in = stream("META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
      p.load(in);
    }
    return resource(WEBJAR + p.getProperty("version") + "/dist/chart.umd.min.js");
  }

  private static InputStream stream(String name) {
    InputStream in = Page.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new UncheckedIOException(new IOException("missing from the classpath: " + name));
    }
    return in;
  }

  static String resource(String name) throws IOException {
    try (InputStream in = stream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Inside a script element only "</" can end it early. */
  static String scriptSafe(String s) {
    return s.replace("</", "<\\/");
  }
}
