package llmbench.bench.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import llmbench.mock.GroundTruth;
import llmbench.trace.RequestRecord;
import org.junit.jupiter.api.Test;

/** The wire judge's figures, computed by hand for one request (ms on the monotonic clock). */
class WireJudgeTest {
  private static final long OFFSET = 1_700_000_000_000_000_000L; // CLOCK_REALTIME − CLOCK_MONOTONIC

  private static long ms(double v) {
    return Math.round(v * 1e6);
  }

  private static RequestRecord client(String id, boolean ok, double... chunks) {
    long[] ns = new long[chunks.length];
    for (int i = 0; i < ns.length; i++) {
      ns[i] = ms(chunks[i]);
    }
    return new RequestRecord(id, "low", "c001", 1, 100, 3, ms(100), ns.length == 0 ? ms(100) : ns[ns.length - 1],
        0, ns, 100, 3, "abc", ok, ok ? null : "HTTP 500");
  }

  private static HttpWire.Exchange wire(String id, boolean fresh, double post, double... choices) {
    long[] ns = new long[choices.length];
    for (int i = 0; i < ns.length; i++) {
      ns[i] = ms(choices[i]) + OFFSET;
    }
    return new HttpWire.Exchange(id, "127.0.0.1:40000", fresh, ms(100.1) + OFFSET, ms(post) + OFFSET, ms(post) + OFFSET,
        200, ms(post + 1) + OFFSET, ns, ns[ns.length - 1], ns[ns.length - 1], false, null);
  }

  @SuppressWarnings("unchecked")
  private static double stat(Map<String, Object> m, String key, String stat) {
    return ((Map<String, Double>) m.get(key)).get(stat);
  }

  @Test
  void errorsDelaysAndTheMocksBracket() {
    List<WireJudge.Pair> pairs = WireJudge.pair(
        List.of(client("a", true, 110.2, 115.1, 121.9), client("b", false), client("c", true, 111, 112),
            client("not-on-the-wire", true, 105)),
        List.of(wire("a", true, 100.5, 110, 115, 121), wire("b", false, 100.1, 109), wire("c", false, 100.2, 110, 111, 112)));
    assertEquals(3, pairs.size(), "the record the wire did not see is left out");
    GroundTruth.Trace truth = new GroundTruth.Trace("a", "completions", ms(100.6), 100, 3,
        new long[] {ms(109.9), ms(114.95), ms(120.5)}, new long[] {ms(110.05), ms(115.05), ms(121.0)},
        new long[3], new long[3], 0, 0, 0, "NONE", "ok", List.of(), new int[] {1, 1, 1}, 0, 0, 0, "length", 0, 0, null, null);
    Map<String, Object> m = WireJudge.level(pairs, OFFSET, Map.of("a", truth));
    assertEquals(3, m.get("requests"));
    assertEquals(1, m.get("failed"));
    assertEquals(1, m.get("chunk_count_mismatch"), "c: 2 chunks in the client's record, 3 on the wire");
    assertEquals(1, m.get("new_connections"));
    // client TTFT 10.2, wire TTFT 110 − 100.5 = 9.5
    assertEquals(0.7, stat(m, "ttft_error_ms", "mean"), 1e-9);
    // gaps 4.9 and 6.8 against 5 and 6
    assertEquals((-0.1 + 0.8) / 2, stat(m, "itl_error_ms", "mean"), 1e-9);
    assertEquals(0.8, stat(m, "itl_error_ms", "max"), 1e-9);
    // E2EL 21.9 against 20.5
    assertEquals(1.4, stat(m, "e2el_error_ms", "mean"), 1e-9);
    assertEquals((0.2 + 0.1 + 0.9) / 3, stat(m, "chunk_delay_ms", "mean"), 1e-9);
    assertEquals(0.9, stat(m, "chunk_delay_ms", "max"), 1e-9);
    assertEquals(0.5, stat(m, "send_delay_ms", "mean"), 1e-9);
    assertEquals(100.5 - 100.1, stat(m, "syn_to_post_ms", "mean"), 1e-9);
    assertEquals((0.1 + 0.05 + 0.5) / 3, stat(m, "wire_minus_mock_write_ms", "mean"), 1e-9);
    assertEquals(1.0, (double) m.get("wire_within_mock_write_flush"));
  }

  @Test
  void theClockOffsetIsTheOneTheJvmSees() {
    long offset = WireJudge.realtimeMinusMonotonicNs();
    java.time.Instant now = java.time.Instant.now();
    long mono = System.nanoTime();
    long realtime = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    assertTrue(Math.abs(realtime - mono - offset) < 5_000_000, "within 5 ms of a fresh reading");
  }
}
