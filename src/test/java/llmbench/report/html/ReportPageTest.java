package llmbench.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page is one self-contained file; the PNG charts are real images. (Rendering: ReportBrowserIT.) */
class ReportPageTest {
  @Test
  void thePageCarriesEverythingInlineAndNothingFromTheNetwork(@TempDir Path dir) throws IOException {
    Path page = ReportPage.write(ReportModel.of(ReportModelTest.folder(dir)), dir);
    String html = Files.readString(page);
    assertFalse(Pattern.compile("<script[^>]*\\ssrc=|<link[^>]*href|<img[^>]*src=\"?https?:|url\\(\\s*['\"]?https?:")
        .matcher(html).find(), "something is loaded from outside the page");
    assertTrue(html.contains("Chart.js v4.5.1"), "Chart.js is inlined from its WebJar");
    // three script elements: the data, Chart.js, ours; none ends early
    assertEquals(3, html.split("<script", -1).length - 1);
    assertEquals(3, html.split("</script>", -1).length - 1);
    assertTrue(html.contains("<b>low c002</b>: a &lt;b&gt;warning&lt;/b&gt;"), "warnings are escaped");
    assertTrue(html.contains("vllm serve org/model --api-key &lt;redacted&gt;"));
    assertTrue(html.contains("href=\"gatling/lowload-1/index.html\""));
    // one canvas per chart: 6 against concurrency, 3 timelines, 3 per level
    assertEquals(6 + 3 + 3 * 2, html.split("<canvas ", -1).length - 1);
    assertFalse(Files.exists(dir.resolve("report.html.tmp")));
  }

  @Test
  void scriptTextCannotCloseItsElement() {
    assertEquals("a<\\/script>b", Page.scriptSafe("a</script>b"));
  }

  @Test
  void thePngChartsAreImages(@TempDir Path dir) throws IOException {
    List<Path> pngs = ReportCharts.write(ReportModel.of(ReportModelTest.folder(dir)), dir);
    assertEquals(5, pngs.size());
    for (Path p : pngs) {
      var img = ImageIO.read(p.toFile());
      assertEquals(900, img.getWidth(), p.toString());
      assertEquals(520, img.getHeight(), p.toString());
    }
  }
}
