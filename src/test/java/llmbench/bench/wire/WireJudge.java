package llmbench.bench.wire;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbench.mock.GroundTruth;
import llmbench.stats.Distribution;
import llmbench.trace.RequestRecord;

/**
 * The client's per-request times judged against the wire: TTFT, ITL and E2EL errors (reported − wire),
 * each chunk's delay (client stamp − capture time), and the send delay (start stamp → the POST's first
 * byte on the wire). Capture stamps are CLOCK_REALTIME, the client's {@code System.nanoTime()} is
 * CLOCK_MONOTONIC; {@link #realtimeMinusMonotonicNs()} measures their offset, and the mock's own
 * record (also monotonic) checks it: a chunk is captured between the mock's stamp before its write
 * and the one after its flush.
 */
public final class WireJudge {
  private WireJudge() {}

  /** A client record and what the wire saw of the same request (matched by X-Request-Id). */
  public record Pair(RequestRecord client, HttpWire.Exchange wire) {}

  /** CLOCK_REALTIME − CLOCK_MONOTONIC in ns, from the tightest of many bracketed readings. */
  public static long realtimeMinusMonotonicNs() {
    long best = Long.MAX_VALUE;
    long offset = 0;
    for (int i = 0; i < 20_000; i++) {
      long a = System.nanoTime();
      Instant now = Instant.now();
      long b = System.nanoTime();
      if (b - a < best) {
        best = b - a;
        offset = now.getEpochSecond() * 1_000_000_000L + now.getNano() - (a + (b - a) / 2);
      }
    }
    return offset;
  }

  /** Pairs the client's records with the wire's exchanges; records the wire did not see are left out. */
  public static List<Pair> pair(List<RequestRecord> client, List<HttpWire.Exchange> wire) {
    Map<String, HttpWire.Exchange> byId = new LinkedHashMap<>();
    for (HttpWire.Exchange e : wire) {
      if (e.requestId() != null) {
        byId.put(e.requestId(), e);
      }
    }
    List<Pair> out = new ArrayList<>();
    for (RequestRecord r : client) {
      HttpWire.Exchange e = byId.get(r.id());
      if (e != null) {
        out.add(new Pair(r, e));
      }
    }
    return out;
  }

  /**
   * One level's figures in ms.
   *
   * @param offsetNs CLOCK_REALTIME − CLOCK_MONOTONIC during the capture
   * @param mock the mock's record by request id, or empty for another server
   */
  public static Map<String, Object> level(List<Pair> pairs, long offsetNs, Map<String, GroundTruth.Trace> mock) {
    List<Double> ttftErr = new ArrayList<>();
    List<Double> itlErr = new ArrayList<>();
    List<Double> e2elErr = new ArrayList<>();
    List<Double> chunkDelay = new ArrayList<>();
    List<Double> firstChunkDelay = new ArrayList<>();
    List<Double> sendDelay = new ArrayList<>();
    List<Double> synToPost = new ArrayList<>();
    List<Double> wireMinusMockWrite = new ArrayList<>();
    int failed = 0;
    int mismatched = 0;
    int newConnections = 0;
    int serverClosed = 0;
    int mockBracketed = 0;
    int mockChunks = 0;
    for (Pair p : pairs) {
      RequestRecord c = p.client();
      HttpWire.Exchange w = p.wire();
      // a connection opened for this request: its SYN after the request's start (one opened before
      // the level, with nothing sent on it until the request, cost the request no handshake)
      if (w.newConnection() && w.synNs() - offsetNs >= c.startNs()) {
        newConnections++;
        synToPost.add((w.requestFirstNs() - w.synNs()) / 1e6);
      }
      if (w.serverClosed()) {
        serverClosed++;
      }
      if (!c.success()) {
        failed++;
        continue;
      }
      long[] cn = c.chunkNs();
      long[] wn = w.choiceNs();
      if (cn.length != wn.length || cn.length == 0) {
        mismatched++;
        continue;
      }
      long post = w.requestFirstNs() - offsetNs; // on the monotonic clock
      sendDelay.add((post - c.startNs()) / 1e6);
      ttftErr.add(((cn[0] - c.startNs()) - (wn[0] - w.requestFirstNs())) / 1e6);
      e2elErr.add(((cn[cn.length - 1] - c.startNs()) - (wn[wn.length - 1] - w.requestFirstNs())) / 1e6);
      firstChunkDelay.add((cn[0] - (wn[0] - offsetNs)) / 1e6);
      for (int i = 0; i < cn.length; i++) {
        chunkDelay.add((cn[i] - (wn[i] - offsetNs)) / 1e6);
        if (i > 0) {
          itlErr.add(((cn[i] - cn[i - 1]) - (wn[i] - wn[i - 1])) / 1e6);
        }
      }
      GroundTruth.Trace t = mock.get(c.id());
      if (t != null && t.choiceChunkNs().length == wn.length) {
        for (int i = 0; i < wn.length; i++) {
          long wireMono = wn[i] - offsetNs;
          wireMinusMockWrite.add((wireMono - t.choiceChunkNs()[i]) / 1e6);
          mockChunks++;
          if (wireMono >= t.choiceChunkNs()[i] && wireMono <= t.choiceFlushedNs()[i]) {
            mockBracketed++;
          }
        }
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requests", pairs.size());
    m.put("failed", failed);
    m.put("chunk_count_mismatch", mismatched);
    m.put("new_connections", newConnections);
    m.put("server_closed_connections", serverClosed);
    m.put("ttft_error_ms", stats(ttftErr));
    m.put("itl_error_ms", stats(itlErr));
    m.put("e2el_error_ms", stats(e2elErr));
    m.put("chunk_delay_ms", stats(chunkDelay));
    m.put("first_chunk_delay_ms", stats(firstChunkDelay)); // TTFT error = send delay + this
    m.put("send_delay_ms", stats(sendDelay));
    if (!synToPost.isEmpty()) {
      m.put("syn_to_post_ms", stats(synToPost));
    }
    if (mockChunks > 0) {
      m.put("wire_minus_mock_write_ms", stats(wireMinusMockWrite));
      m.put("wire_within_mock_write_flush", (double) mockBracketed / mockChunks);
    }
    return m;
  }

  /** mean, p50, p99 and max of a sample, in its unit. */
  public static Map<String, Double> stats(List<Double> v) {
    Distribution d = new Distribution(v.stream().mapToDouble(Double::doubleValue).toArray());
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("n", (double) d.size());
    m.put("mean", d.mean());
    m.put("p50", d.median());
    m.put("p99", d.percentile(99));
    m.put("max", d.size() == 0 ? 0 : d.percentile(100));
    return m;
  }
}
