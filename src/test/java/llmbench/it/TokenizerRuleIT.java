package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import llmbench.cli.Cli;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.prompt.TextTokenizer;
import llmbench.simulation.RunTest;
import llmbench.simulation.SmokeLoad;
import llmbench.sweep.Sweep;
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

  @Test
  void aNamedTokenizerThatDoesNotExistStopsTheGatlingEntryPoint() throws Exception {
    Path results = dir("tok-gatling");
    System.clearProperty("llm.lastError");
    RunTest.gatling(SmokeLoad.class.getName(), results, Map.of("llm.mock", "true", "llm.tokenizer", "/nonexistent/tok",
        "llm.exitOnError", "false", "llm.levels", "1", "llm.gatlingResults", results.toString()));
    String error = System.getProperty("llm.lastError");
    assertTrue(error != null && error.contains("tokenizer /nonexistent/tok: no such file or folder"), error);
  }

  @Test
  void theBuiltInMockAtAUrlNeedsNoTokenizerInEitherEntryPoint() throws Exception {
    assertTrue(!TextTokenizer.hasTokenizer(TextTokenizer.DEFAULT_DIR), "this test needs fake_model/ without tokenizer.json");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).build())) {
      Path results = dir("tok-url-gatling");
      Path out = dir("tok-url-out");
      assertEquals(0, RunTest.gatling(SmokeLoad.class.getName(), results, Map.of("llm.url", mock.baseUrl(),
          "llm.levels", "2", "llm.output", "10", "llm.out", out.toString(), "llm.gatlingResults", results.toString())));
      assertTrue(Files.isRegularFile(out.resolve("llmbench-8b_200-10_2.json")));

      Path sweepOut = dir("tok-url-sweep");
      assertEquals(0, Cli.run(new Sweep(RunTest::gatling), "--url", mock.baseUrl(), "--profiles", "low",
          "--out", sweepOut.toString(), "--gatling-results", dir("tok-url-sweep-g").toString(),
          "--nvidia-smi", "/nonexistent"));
      assertTrue(Files.isRegularFile(sweepOut.resolve("llmbench-8b_100-150_32.json")));
    }
  }
}
