package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import llmbench.cli.Cli;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.prompt.TextTokenizer;
import llmbench.cli.SweepCommand;
import llmbench.gatling.sweep.GatlingLauncher;
import llmbench.simulation.SmokeLoad;
import llmbench.testutil.Jvm;
import llmbench.testutil.Runs;
import org.junit.jupiter.api.Test;

/**
 * One rule for which tokenizer a run uses, in both entry points ({@code run_test.sh} and {@code mvn
 * gatling:test}): a folder the user named must exist, with or without the mock; with none named and
 * fake_model/ empty, the built-in tokenizer stands in for the built-in mock, also at a URL.
 */
class TokenizerRuleIT {
  private static Path dir(String name) throws Exception {
    return Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), name);
  }

  /** As mvn gatling:test runs it: Gatling's own launcher in a JVM of its own, settings as -Dllm.*. */
  @Test
  void aNamedTokenizerThatDoesNotExistStopsTheGatlingEntryPoint() throws Exception {
    Path results = dir("tok-gatling");
    Process p = new ProcessBuilder(Jvm.java(), "@bin/client-jvm.args", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "-Dllm.mock=true", "-Dllm.tokenizer=/nonexistent/tok", "-Dllm.levels=1", "-Dllm.gatlingResults=" + results,
        "-cp", Jvm.classpath(), "io.gatling.app.Gatling", "-s", SmokeLoad.class.getName(), "-rf", results.toString())
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the JVM did not end");
    String printed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(1, p.exitValue(), printed);
    assertEquals(List.of("error: tokenizer /nonexistent/tok: no such file or folder (-Dllm.tokenizer): name the folder "
        + "holding the model's tokenizer.json"), printed.lines().filter(l -> !l.isBlank()).toList(),
        "one line, no stack trace");
    try (var runs = Files.list(results)) {
      assertEquals(0, runs.count(), "nothing was run");
    }
  }

  @Test
  void theBuiltInMockAtAUrlNeedsNoTokenizerInEitherEntryPoint() throws Exception {
    assertTrue(!TextTokenizer.hasTokenizer(TextTokenizer.DEFAULT_DIR), "this test needs fake_model/ without tokenizer.json");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).build())) {
      Path results = dir("tok-url-gatling");
      Path out = dir("tok-url-out");
      assertEquals(0, Runs.smoke(Map.of("--url", mock.baseUrl(),
          "--levels", "2", "--output-len", "10", "--out", out.toString(), "--gatling-results", results.toString())));
      assertTrue(Files.isRegularFile(out.resolve("llmbench-8b_200-10_2.json")));

      Path sweepOut = dir("tok-url-sweep");
      assertEquals(0, Cli.run(new SweepCommand(GatlingLauncher::run, false), "--url", mock.baseUrl(), "--profiles", "low",
          "--out", sweepOut.toString(), "--gatling-results", dir("tok-url-sweep-g").toString(),
          "--nvidia-smi", "/nonexistent"));
      assertTrue(Files.isRegularFile(sweepOut.resolve("llmbench-8b_100-150_32.json")));
    }
  }
}
