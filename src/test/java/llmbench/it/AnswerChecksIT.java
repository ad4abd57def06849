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

/** Checks on finished answers, in a hand-written simulation: a failed one is KO with its words in Gatling's log. */
class AnswerChecksIT {
  @Test
  void aFailedCheckIsKoWithItsWords() throws Exception {
    Path results = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "checks");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).keepTraces(true).build())) {
      int status = Runs.gatlingTest(CheckedAnswers.class.getName(), results,
          Map.of("checked.url", mock.baseUrl(), "checked.model", mock.config().modelId()));
      assertTrue(status >= 0, "Gatling ran the simulation");
      assertEquals(2, mock.groundTruth().all().size(), "both requests reached the mock");
    }
    Path log;
    try (Stream<Path> runs = Files.list(results)) {
      log = runs.map(d -> d.resolve("simulation.log")).filter(Files::exists).findFirst().orElseThrow();
    }
    List<SimulationLog.Request> e2el = SimulationLog.read(log).requests().stream()
        .filter(r -> r.name().equals("E2EL")).toList();
    assertEquals(2, e2el.size());
    assertEquals(1, e2el.stream().filter(SimulationLog.Request::ok).count());
    SimulationLog.Request ko = e2el.stream().filter(r -> !r.ok()).findFirst().orElseThrow();
    assertEquals("check failed: text contains \"no such words\"", ko.message());
  }
}
