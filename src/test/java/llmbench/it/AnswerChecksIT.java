package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import llmbench.gatlinglog.SimulationLog;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.simulation.CheckedAnswers;
import llmbench.testutil.Runs;
import org.junit.jupiter.api.Test;

/**
 * Checks on finished answers, in a hand-written simulation: Gatling's checks and LlmChecks on the
 * answer, a saved value sent by the next request, a failed check a KO with Gatling's words.
 */
class AnswerChecksIT {
  @Test
  void aFailedCheckIsKoWithItsWordsAndASavedValueIsSentOn() throws Exception {
    Path results = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "checks");
    List<String> prompts;
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).keepTraces(true).build())) {
      int status = Runs.gatlingTest(CheckedAnswers.class.getName(), results, Map.of("checked.url", mock.baseUrl()));
      assertTrue(status >= 0, "Gatling ran the simulation");
      assertEquals(3, mock.groundTruth().all().size(), "both users' requests and the echo reached the mock");
      assertEquals(3, mock.requests("/v1/completions"));
      prompts = mock.groundTruth().bodies().stream().map(b -> b.path("prompt").asText()).toList();
    }
    assertTrue(prompts.contains("length"), "the finish reason the first check saved was the echo's prompt: " + prompts);
    Path log;
    try (Stream<Path> runs = Files.list(results)) {
      log = runs.map(d -> d.resolve("simulation.log")).filter(Files::exists).findFirst().orElseThrow();
    }
    SimulationLog.Contents c = SimulationLog.read(log);
    List<SimulationLog.Request> generate = c.requests().stream().filter(r -> r.name().equals("generate: TTFT")).toList();
    assertEquals(2, generate.size(), "one request per call: its TTFT entry");
    assertTrue(generate.stream().allMatch(r -> r.groups().equals(List.of("generate"))), "inside the group of its name");
    assertEquals(1, generate.stream().filter(SimulationLog.Request::ok).count());
    SimulationLog.Request ko = generate.stream().filter(r -> !r.ok()).findFirst().orElseThrow();
    assertEquals("check failed: substring(no such words).find.exists, found nothing", ko.message());
    assertEquals(2, c.groups().stream().filter(g -> g.groups().equals(List.of("generate"))).count(),
        "each call's group, timed start to end");
    assertEquals(3, c.requests().size(), "no second entry per call: global() counts each call once");
  }
}
