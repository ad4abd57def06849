package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.testutil.Runs;
import llmbench.simulation.SmokeLoad;
import llmbench.trace.RequestRecord;
import llmbench.testutil.GatlingRuns;
import org.junit.jupiter.api.Test;

/**
 * Connections as production clients use them, judged by the mock's own count of accepted TCP
 * connections: each virtual user keeps one connection for all its requests (none opened inside a
 * level); {@code per-request} opens one per request; a server that closes every streamed connection
 * (as llama.cpp's does) costs new connections but never a failed request.
 */
class ConnectionsIT {
  static final int USERS = 8;
  static final int ROUNDS = 3;

  private record Run(long connections, List<RequestRecord> records) {}

  private static Run run(boolean serverCloses, String connections) throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path out = Files.createTempDirectory(work, "conn-out");
    Path results = Files.createTempDirectory(work, "conn-gatling");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(2))
        .closeConnections(serverCloses).chunkShape(serverCloses ? "llamacpp" : "vllm").build())) {
      Map<String, String> props = new HashMap<>(Map.of("--url", mock.baseUrl(), "--input-len", "50",
          "--output-len", "20", "--levels", "" + USERS, "--rounds", "" + ROUNDS, "--out", out.toString(),
          "--gatling-results", results.toString(), "--warmup-requests", "2", "--connections", connections));
      assertEquals(0, Runs.smoke(props));
      long accepted = mock.connectionsAccepted();
      return new Run(accepted, GatlingRuns.measured(results));
    }
  }

  @Test
  void eachUserKeepsItsConnection() throws Exception {
    Run keep = run(false, "keep-alive");
    assertEquals(USERS * ROUNDS, keep.records().size());
    assertTrue(keep.records().stream().allMatch(RequestRecord::success));
    // one per user (each level is a population of its own users: the server's warm-up's 2 beside the
    // level's), plus the JDK client's for discovery and the preflight: far below one per request
    assertTrue(keep.connections() <= USERS + 2 + 3, "connections " + keep.connections());

    Run fresh = run(false, "per-request");
    assertTrue(fresh.records().stream().allMatch(RequestRecord::success));
    assertTrue(fresh.connections() >= USERS * ROUNDS + 2, "connections " + fresh.connections());
  }

  @Test
  void aServerThatClosesEveryStreamNeverFailsARequest() throws Exception {
    Run closing = run(true, "keep-alive");
    assertEquals(USERS * ROUNDS, closing.records().size());
    for (RequestRecord r : closing.records()) {
      assertTrue(r.success(), r.error());
      assertEquals(20, r.completionTokens());
      assertEquals(21, r.chunkNs().length, "llama.cpp's finish chunk carries choices too");
    }
    assertTrue(closing.connections() >= USERS * ROUNDS, "every stream closed: " + closing.connections());
  }
}
