package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import llmbench.testutil.Jvm;
import org.junit.jupiter.api.Test;

/**
 * What run_test.sh prints, read from a client JVM of its own (Gatling's console writer binds the
 * JVM's first stdout): a live line per level, not Gatling's periodic dumps, unless asked for.
 */
class ConsoleIT {
  private static Process start(Path work, Path log, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Jvm.java(), "-Xmx1G", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "-Dai.djl.offline=true", "-cp", Jvm.classpath(), llmbench.cli.RunTestMain.class.getName(), "--no-client-warmup"));
    cmd.addAll(args);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  @Test
  void aServerDyingUnderItsStreamsEndsTheRunWithoutALinePerStream() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "console-kill");
    Path tok = Files.createDirectories(work.resolve("tok"));
    llmbench.prompt.BuiltinTokenizer.writeTo(tok);
    Path gatling = Files.createDirectories(work.resolve("gatling"));
    Path log = work.resolve("console.log");
    llmbench.mock.MockServer mock = llmbench.mock.MockServer.start(llmbench.mock.MockConfig.builder().port(0).build());
    Process client = start(work, log, List.of("--url", mock.baseUrl(), "--tokenizer", tok.toString(), "--profiles",
        "medium", "--timeout", "15", "--out", work.resolve("out").toString(), "--gatling-results", gatling.toString()));
    try {
      // the medium profile's timings file appears once its preflight passed: the server dies then,
      // with the first level's streams connecting or streaming
      for (int i = 0; i < 1200 && !pending(gatling); i++) {
        Thread.sleep(20);
      }
    } finally {
      mock.close();
    }
    assertTrue(client.waitFor(180, java.util.concurrent.TimeUnit.SECONDS), "the client did not end");
    String console = Files.readString(log);
    // no logged line per stream (HH:mm:ss.SSS LEVEL logger - message): each failure is in its record
    assertFalse(Pattern.compile("(?m)^[0-9:.]{12} (ERROR|WARN) ").matcher(console).find(),
        "logged lines on the console:\n" + console);
    Matcher m = Pattern.compile("(?m)^failures by kind: (.*)$").matcher(console);
    assertTrue(m.find(), console);
    assertTrue(m.group(1).matches("(connection refused|connection closed|no answer) × \\d+.*"), m.group(1));
  }

  private static boolean pending(Path gatling) throws java.io.IOException {
    try (var s = Files.list(gatling)) {
      return s.anyMatch(p -> p.getFileName().toString().matches("\\.llmbench-.*\\.jsonl"));
    }
  }

  private static String sweep(Path work, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Jvm.java(), "-Xmx1G", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "-Dai.djl.offline=true", "-cp", Jvm.classpath(), llmbench.cli.RunTestMain.class.getName(), "--no-client-warmup",
        "--mock", "--profiles", "low", "--mock-time-scale", "0.3", "--out", Files.createTempDirectory(work, "out").toString(),
        "--gatling-results", Files.createTempDirectory(work, "gatling").toString()));
    cmd.addAll(List.of(extra));
    Path log = Files.createTempFile(work, "console", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertEquals(0, p.waitFor(), Files.readString(log));
    return Files.readString(log);
  }

  @Test
  void eachLevelGetsItsLiveLineAndGatlingsDumpsAreOffUnlessAskedFor() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "console");
    String quiet = sweep(work);
    for (int c : new int[] {1, 4, 8, 16, 32}) {
      // the final line of each level: every request counted, none failed (output 150 tokens each)
      Matcher m = Pattern.compile(String.format("(?m)^low c%03d  %d/%d done  0 failed  (\\d+) tok/s  TTFT p50 [0-9.]+ (ms|s)"
          + "  elapsed [0-9.]+ s$", c, c, c)).matcher(quiet);
      assertTrue(m.find(), "no final line for c" + c + ":\n" + quiet);
      assertTrue(Integer.parseInt(m.group(1)) > 0);
    }
    // each level's block right after its final line, before the next level is even prepared; at the
    // end one line per level points to its result
    int[] levels = {1, 4, 8, 16, 32};
    for (int i = 0; i < levels.length; i++) {
      int block = quiet.indexOf(String.format("[low c%03d: concurrency %d, 100 in / 150 out, %d prompts]", levels[i],
          levels[i], levels[i]));
      int finalLine = quiet.indexOf(String.format("low c%03d  %d/%d done", levels[i], levels[i], levels[i]));
      assertTrue(block > finalLine && finalLine >= 0, "c" + levels[i] + "'s block does not follow its final line");
      assertTrue(quiet.indexOf("Successful requests:                     " + levels[i], block) > block);
      if (i + 1 < levels.length) {
        int next = quiet.indexOf(String.format("prepared %d requests for c%03d", levels[i + 1], levels[i + 1]));
        assertTrue(next > block, "c" + levels[i] + "'s block came after the next level was prepared");
      }
      assertTrue(quiet.contains(String.format("[low c%03d] result: ", levels[i])), "no result line for c" + levels[i]);
    }
    assertEquals(levels.length, count(quiet, "============ Serving Benchmark Result ============"),
        "a block printed twice");
    assertFalse(quiet.contains("---- Requests"), "Gatling's console dump is on by default");
    String loud = sweep(work, "--gatling-console");
    assertTrue(loud.contains("---- Requests"), "--gatling-console brings Gatling's dump back");
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
