package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import llmbench.bench.wire.HttpWire;
import llmbench.bench.wire.Pcap;
import llmbench.bench.wire.Tcpdump;
import llmbench.bench.wire.TcpFlows;
import llmbench.bench.wire.WireJudge;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.testutil.Runs;
import llmbench.simulation.SmokeLoad;
import llmbench.trace.RequestRecord;
import llmbench.testutil.GatlingRuns;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The wire ground truth on a real run: a loopback capture of a Gatling level against the mock. The
 * two truths agree (every captured chunk lies between the mock's stamp before its write and after its
 * flush), every request is found on the wire by its X-Request-Id with the client's chunk count, and
 * no client stamp comes before the wire saw its chunk (which would mean a wrong clock offset or a
 * stamp taken from the wrong event). Needs tcpdump and the right to capture (root in CI).
 */
class WireIT {
  @Test
  void theWireTheMockAndTheClientAgree() throws Exception {
    Assumptions.assumeTrue(Tcpdump.unavailable() == null, "tcpdump is not installed");
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path out = Files.createTempDirectory(work, "wire-out");
    Path results = Files.createTempDirectory(work, "wire-gatling");
    Path pcap = work.resolve("wire-it-" + ProcessHandle.current().pid() + ".pcap");
    Map<String, GroundTruth.Trace> truth = new HashMap<>();
    long offset;
    int port;
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(5))
        .keepTraces(true).build())) {
      port = mock.port();
      Tcpdump capture;
      try {
        capture = Tcpdump.start("lo", port, pcap);
      } catch (java.io.IOException noPermission) {
        Assumptions.abort("cannot capture here: " + noPermission.getMessage());
        return;
      }
      long before = WireJudge.realtimeMinusMonotonicNs();
      try (capture) {
        assertEquals(0, Runs.smoke(Map.of("--url", mock.baseUrl(),
            "--input-len", "50", "--output-len", "40", "--levels", "8", "--rounds", "2", "--warmup-requests", "2",
            "--out", out.toString(), "--gatling-results", results.toString())));
      }
      offset = before + (WireJudge.realtimeMinusMonotonicNs() - before) / 2;
      mock.groundTruth().all().forEach(t -> truth.put(t.requestId(), t));
      assertTrue(capture.dropped() <= 0, "the capture dropped packets: " + capture.dropped());
    }
    TcpFlows flows = new TcpFlows(port);
    Pcap.read(pcap, flows);
    List<HttpWire.Exchange> wire = HttpWire.exchanges(flows.connections());
    List<RequestRecord> client = GatlingRuns.measured(results);
    assertEquals(16, client.size());
    List<WireJudge.Pair> pairs = WireJudge.pair(client, wire);
    assertEquals(16, pairs.size(), "every request found on the wire by its X-Request-Id");
    Map<String, Object> m = WireJudge.level(pairs, offset, truth);
    assertEquals(0, m.get("chunk_count_mismatch"));
    assertEquals(0, m.get("failed"));
    assertEquals(0, m.get("new_connections"), "keep-alive: connections were opened before the level");
    assertTrue((double) m.get("wire_within_mock_write_flush") >= 0.99, "the two truths agree: " + m);
    @SuppressWarnings("unchecked")
    Map<String, Double> delay = (Map<String, Double>) m.get("chunk_delay_ms");
    assertTrue(delay.get("n") >= 16 * 40);
    // the client stamps after the kernel delivered; a few µs of slack for reading the two clocks
    for (WireJudge.Pair p : pairs) {
      for (int i = 0; i < p.client().chunkNs().length; i++) {
        long early = (p.wire().choiceNs()[i] - offset) - p.client().chunkNs()[i];
        assertTrue(early < 50_000, p.client().id() + " chunk " + i + " stamped " + early / 1e3 + " µs before the wire");
      }
    }
    Files.deleteIfExists(pcap);
  }
}
