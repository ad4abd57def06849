package llmbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every script's --help ends with three examples, and each example parses as that command's options. */
class HelpExamplesTest {
  private static List<String> help(Object command, String name) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Cli.runNamed(command, name, "--help"));
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
  }

  private static void check(Supplier<Object> command, String name) {
    List<String> lines = help(command.get(), name);
    List<String> last = lines.subList(lines.size() - 3, lines.size());
    assertEquals("Examples:", lines.get(lines.size() - 4), name);
    for (String example : last) {
      assertTrue(example.length() <= 80, "picocli wraps footers at 80 columns: " + example);
      assertTrue(example.startsWith("  ./" + name + (example.endsWith(name) ? "" : " ")), name + ": " + example);
      String[] args = Arrays.stream(example.strip().split("\\s+")).skip(1).toArray(String[]::new);
      Object fresh = command.get();
      CommandLine cl = new CommandLine(fresh);
      cl.parseArgs(args); // throws on an option the command does not have
    }
  }

  @Test
  void theJavaEntryPointsEndWithExamplesThatParse() {
    check(() -> new SweepCommand(job -> null, false), "run_test.sh");
    check(() -> new SweepCommand(job -> null, true), "run_vision_test.sh");
    check(MockMain::new, "mock_server.sh");
    check(PostProcessMain::new, "postprocess.sh");
    check(ReportMain::new, "report.sh");
    check(CompareMain::new, "compare.sh");
  }

  @Test
  void theShellScriptsToo() throws Exception {
    for (String script : List.of("bundle.sh", "bench/run.sh")) {
      Process p = new ProcessBuilder("bash", script, "--help").redirectErrorStream(true).start();
      List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.isBlank()).toList();
      assertEquals(0, p.waitFor(), script);
      assertEquals("examples:", lines.get(lines.size() - 4), script);
      lines.subList(lines.size() - 3, lines.size()).forEach(l -> assertTrue(l.startsWith("  " + (script.contains("/")
          ? script : "./" + script) + " ") || l.equals("  ./" + script), script + ": " + l));
    }
  }
}
