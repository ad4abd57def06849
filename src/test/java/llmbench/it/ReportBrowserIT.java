package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import llmbench.cli.Cli;
import llmbench.testutil.Runs;
import llmbench.cli.SweepCommand;
import llmbench.gatling.sweep.GatlingLauncher;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A mock sweep's report.html opened in a real browser (Debian's chromium, headless, in a network
 * namespace of its own when it may make one, so that nothing could be fetched): every chart drew,
 * no script failed; a screenshot is left in target/ for a person to look at.
 */
class ReportBrowserIT {
  private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
      "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

  @Test
  void everyChartOfAMockSweepRendersOffline() throws Exception {
    String chromium = Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : null;
    Assumptions.assumeTrue(chromium != null, "no /usr/bin/chromium (apt-get install chromium; .ci/run does)");
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "report");
    Path smi = llmbench.testutil.FakeNvidiaSmi.write(work);
    Path out = work.resolve("out");
    assertEquals(0, Cli.run(new SweepCommand(GatlingLauncher::run, false), "--mock", "--profiles", "low", "--mock-time-scale", "0.3",
        "--out", out.toString(), "--nvidia-smi", smi.toString(), "--gpu-interval-ms", "100",
        "--metrics-interval-ms", "200", "--gatling-results", work.resolve("gatling").toString()));
    Path page = out.resolve("report.html").toAbsolutePath();
    assertTrue(Files.isRegularFile(page));

    String dom = chromium(work, List.of("--dump-dom", page.toUri().toString()));
    Matcher status = Pattern.compile("id=\"report-status\">rendered (\\d+) of (\\d+) charts<").matcher(dom);
    assertTrue(status.find(), "the report's script did not finish: " + dom.substring(0, Math.min(600, dom.length())));
    // 6 charts against concurrency, 3 timelines, and 3 for each of the low profile's 5 levels
    assertEquals("24", status.group(2));
    assertEquals(status.group(2), status.group(1), "charts that did not render");
    assertEquals(24, count(dom, "<canvas [^>]*data-rendered=\"1\""), "canvases marked as drawn");
    Matcher errors = Pattern.compile("<pre id=\"report-errors\">([^<]*)</pre>").matcher(dom);
    assertTrue(errors.find());
    assertEquals("", errors.group(1), "script errors");
    assertEquals(0, count(dom, "<p class=\"none\">[A-Za-z (/.)-]+: nothing recorded</p>"),
        "a timeline had no data: the mock's /metrics and the fake nvidia-smi's samples must be there");

    // a ramp's one level adds its chart of TTFT against the rate sent, window by window
    Path ramp = work.resolve("ramp");
    assertEquals(0, Cli.run(new SweepCommand(GatlingLauncher::run, false), "--mock", "--profiles", "low",
        "--mock-time-scale", "0.3", "--ramp-up-strategy", "linear", "--ramp-up-start-rps", "5", "--ramp-up-end-rps", "40",
        "--num-prompts", "60", "--no-client-warmup", "--out", ramp.toString(), "--gatling-results",
        work.resolve("gatling").toString()));
    String rdom = chromium(work, List.of("--dump-dom", ramp.resolve("report.html").toAbsolutePath().toUri().toString()));
    Matcher rstatus = Pattern.compile("id=\"report-status\">rendered (\\d+) of (\\d+) charts<").matcher(rdom);
    assertTrue(rstatus.find(), "the ramp's report did not finish");
    // 6 charts against the load, 3 timelines, and the level's histograms, requests and windows
    assertEquals("13", rstatus.group(2));
    assertEquals("13", rstatus.group(1));
    assertTrue(rdom.contains("id=\"chart-0-windows\""), "the windows' chart");

    // a repeated sweep: each level one point at its runs' mean with an error bar, on the 4 latency charts
    // (median and P99) and the throughput chart (output and total): 2 levels x (4 x 2 + 2) = 20 bars
    Path repeated = work.resolve("repeated");
    assertEquals(0, Cli.run(new SweepCommand(GatlingLauncher::run, false), "--mock", "--profiles", "low",
        "--mock-time-scale", "0.3", "--levels", "2,4", "--rounds", "2", "--output-len", "20", "--repeat", "2",
        "--no-client-warmup", "--out", repeated.toString(), "--gatling-results", work.resolve("gatling").toString()));
    String pdom = chromium(work, List.of("--dump-dom", repeated.resolve("report.html").toAbsolutePath().toUri().toString()));
    Matcher pstatus = Pattern.compile("id=\"report-status\">rendered (\\d+) of (\\d+) charts<").matcher(pdom);
    assertTrue(pstatus.find(), "the repeated sweep's report did not finish");
    assertEquals(pstatus.group(2), pstatus.group(1));
    assertTrue(pdom.contains("data-error-bars=\"20\""), "error bars drawn: "
        + pdom.substring(pdom.indexOf("<body"), pdom.indexOf('>', pdom.indexOf("<body")) + 1));
    Matcher perrors = Pattern.compile("<pre id=\"report-errors\">([^<]*)</pre>").matcher(pdom);
    assertTrue(perrors.find());
    assertEquals("", perrors.group(1), "the repeated report's script errors");

    // compare.html, of the sweep against itself: its overlaid charts drew too
    Path cmp = work.resolve("compare");
    assertEquals(0, Cli.run(new llmbench.cli.CompareMain(), out.toString(), out.toString(), "--out", cmp.toString()));
    String cdom = chromium(work, List.of("--dump-dom", cmp.resolve("compare.html").toAbsolutePath().toUri().toString()));
    Matcher cstatus = Pattern.compile("id=\"report-status\">rendered (\\d+) of (\\d+) charts<").matcher(cdom);
    assertTrue(cstatus.find(), "compare.html's script did not finish");
    assertEquals("7", cstatus.group(2));
    assertEquals("7", cstatus.group(1));
    Matcher cerrors = Pattern.compile("<pre id=\"report-errors\">([^<]*)</pre>").matcher(cdom);
    assertTrue(cerrors.find());
    assertEquals("", cerrors.group(1), "compare.html's script errors");

    // capacity.html, of a search's answer: one chart per target
    llmbench.capacity.SloTargets slo = llmbench.capacity.SloTargets.parse("ttft_p99:500,tpot_p99:50");
    List<llmbench.capacity.Probe> probes = List.of(
        new llmbench.capacity.Probe(32, 0, "c032", "a.json", java.util.Map.of("ttft_p99", 80.0, "tpot_p99", 7.0),
            List.of(), false, 128, 0, 30.0, java.util.Map.of()),
        new llmbench.capacity.Probe(64, 0, "c064", "b.json", java.util.Map.of("ttft_p99", 1100.0, "tpot_p99", 7.1),
            List.of("ttft_p99 1100.0 > 500"), false, 128, 0, 7.0, java.util.Map.of()));
    Path cap = llmbench.capacity.CapacityPage.write(new llmbench.capacity.CapacitySearch.Answer(
        llmbench.capacity.CapacitySearch.By.CONCURRENCY, slo.toString(), 32.0, 64.0, probes.get(1).broken(), "clear",
        "capacity: 32", java.util.Map.of(), probes, false), slo, Files.createDirectories(work.resolve("capacity")));
    String kdom = chromium(work, List.of("--dump-dom", cap.toAbsolutePath().toUri().toString()));
    Matcher kstatus = Pattern.compile("id=\"report-status\">rendered (\\d+) of (\\d+) charts<").matcher(kdom);
    assertTrue(kstatus.find(), "capacity.html's script did not finish");
    assertEquals("2", kstatus.group(1));
    assertEquals("2", kstatus.group(2));

    Path shot = Path.of("target", "report-screenshot.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    chromium(work, List.of("--screenshot=" + shot, "--window-size=1400,2400", page.toUri().toString()));
    assertTrue(Files.size(shot) > 50_000, "screenshot " + shot);
  }

  private static int count(String s, String regex) {
    return (int) Pattern.compile(regex).matcher(s).results().count();
  }

  /** Runs chromium once with a fresh profile; in a network namespace without interfaces when allowed. */
  private static String chromium(Path work, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (new ProcessBuilder("unshare", "-n", "true").start().waitFor() == 0) {
      cmd.addAll(List.of("unshare", "-n"));
    }
    cmd.add("/usr/bin/chromium");
    cmd.addAll(FLAGS);
    cmd.add("--user-data-dir=" + Files.createTempDirectory(work, "chromium-profile"));
    cmd.addAll(args);
    Path log = Files.createTempFile(work, "chromium", ".log");
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    String stdout = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium hung");
    assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(log));
    return stdout;
  }
}
