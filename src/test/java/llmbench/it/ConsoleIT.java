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
import llmbench.simulation.RunTest;
import llmbench.testutil.Jvm;
import org.junit.jupiter.api.Test;

/**
 * What run_test.sh prints, read from a client JVM of its own (Gatling's console writer binds the
 * JVM's first stdout): a live line per level, not Gatling's periodic dumps, unless asked for.
 */
class ConsoleIT {
  private static String sweep(Path work, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Jvm.java(), "-Xmx1G", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "-Dai.djl.offline=true", "-Dllm.clientWarmup=false", "-cp", Jvm.classpath(), RunTest.class.getName(),
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
    assertFalse(quiet.contains("---- Requests"), "Gatling's console dump is on by default");
    String loud = sweep(work, "--gatling-console");
    assertTrue(loud.contains("---- Requests"), "--gatling-console brings Gatling's dump back");
  }
}
