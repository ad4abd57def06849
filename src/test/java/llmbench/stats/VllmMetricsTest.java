package llmbench.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import llmbench.trace.RequestRecord;
import org.junit.jupiter.api.Test;

/** Every expected value below is worked out by hand from vLLM's definitions. */
class VllmMetricsTest {
  static final long MS = 1_000_000L;

  /** A successful request starting at {@code start} ms with chunks at the given ms offsets. */
  static RequestRecord ok(long startMs, int outTokens, long... chunkMs) {
    long[] ns = new long[chunkMs.length];
    for (int i = 0; i < ns.length; i++) {
      ns[i] = (startMs + chunkMs[i]) * MS;
    }
    return new RequestRecord("r" + startMs, "p", "c002", 2, 10, outTokens, startMs * MS,
        ns[ns.length - 1], 0, ns, 10, outTokens, "x".repeat(chunkMs.length), true, null);
  }

  static RequestRecord failed(long startMs, long endMs, String error, long... chunkMs) {
    long[] ns = new long[chunkMs.length];
    for (int i = 0; i < ns.length; i++) {
      ns[i] = (startMs + chunkMs[i]) * MS;
    }
    return new RequestRecord("f" + startMs, "p", "c002", 2, 10, 4, startMs * MS, endMs * MS, 0, ns,
        -1, -1, "", false, error);
  }

  static LevelMetrics compute(List<RequestRecord> rs, Slo slo) {
    return VllmMetrics.compute(rs, List.of(50.0, 99.0), slo, text -> text.length());
  }

  @Test
  void twoRequestsByHand() {
    // A: start 0, chunks at 100, 120, 150 ms, 3 tokens.  B: start 10, chunks at 210, 230 (rel), 2 tokens.
    RequestRecord a = ok(0, 3, 100, 120, 150);
    RequestRecord b = ok(10, 2, 200, 220);
    LevelMetrics m = compute(List.of(a, b), Slo.NONE);
    assertEquals(0.230, m.duration(), 1e-12);                 // 0 .. 230 ms
    assertEquals(2, m.completed());
    assertEquals(0, m.failed());
    assertEquals(20, m.totalInput());
    assertEquals(5, m.totalOutput());
    assertEquals(2 / 0.230, m.requestThroughput(), 1e-9);
    assertEquals(5 / 0.230, m.outputThroughput(), 1e-9);
    assertEquals(25 / 0.230, m.totalTokenThroughput(), 1e-9);
    assertNull(m.requestGoodput());
    // TTFT: 100 and 200 ms -> mean 150, median 150, std 50, p99 = 100 + 0.99 * 100 = 199
    LevelMetrics.Summary ttft = m.summaries().get("ttft");
    assertEquals(150, ttft.mean(), 1e-9);
    assertEquals(150, ttft.median(), 1e-9);
    assertEquals(50, ttft.std(), 1e-9);
    assertEquals(199, ttft.percentiles().get(99.0), 1e-9);
    // TPOT: A (150-100)/(3-1) = 25, B (220-200)/(2-1) = 20
    assertEquals(22.5, m.summaries().get("tpot").mean(), 1e-9);
    // ITL pooled: 20, 30 (A), 20 (B): mean 23.333, median 20, p99 = 20 + (2-1)*0.99... sorted 20,20,30:
    // h = 2 * 0.99 = 1.98 -> 20 + 0.98 * 10 = 29.8
    LevelMetrics.Summary itl = m.summaries().get("itl");
    assertEquals(70.0 / 3, itl.mean(), 1e-9);
    assertEquals(20, itl.median(), 1e-9);
    assertEquals(29.8, itl.percentiles().get(99.0), 1e-9);
    assertEquals(3, m.itlSamples());
    // E2EL: 150 and 220
    assertEquals(185, m.summaries().get("e2el").mean(), 1e-9);
    assertArrayEquals(new double[] {0.020, 0.030}, m.perRequest().itls(0), 1e-12);
    assertEquals(List.of(0.0, 0.010), m.startTimes());
    // peak: all 5 chunks fall in the first second from the earliest start; both overlap
    assertEquals(5, m.maxOutputTokensPerS(), 0);
    assertEquals(2, m.maxConcurrentRequests());
  }

  @Test
  void oneTokenOutputsHaveNoTpotAndNoItl() {
    LevelMetrics m = compute(List.of(ok(0, 1, 50), ok(0, 1, 70)), Slo.NONE);
    assertEquals(0, m.tpotSamples());
    assertEquals(0, m.itlSamples());
    assertEquals(0, m.summaries().get("tpot").mean(), 0);    // empty list -> 0, as np.mean(x or 0)
    assertEquals(0, m.summaries().get("itl").percentiles().get(99.0), 0);
    assertEquals(60, m.summaries().get("ttft").mean(), 1e-9);
    assertEquals(60, m.summaries().get("e2el").mean(), 1e-9);
  }

  @Test
  void failedRequestsStayOutOfLatencyStats() {
    // in-band error after two tokens: a failure, its tokens count nowhere
    RequestRecord inband = failed(0, 500, "boom", 100, 110);
    RequestRecord good = ok(0, 2, 40, 60);
    LevelMetrics m = compute(List.of(good, inband), Slo.NONE);
    assertEquals(1, m.completed());
    assertEquals(1, m.failed());
    assertEquals(2, m.totalOutput());
    assertEquals(List.of(2, 0), m.outputLens());
    assertEquals(List.of("", "boom"), List.of(m.perRequest().error(0), m.perRequest().error(1)));
    assertEquals(40, m.summaries().get("ttft").mean(), 1e-9);
    assertEquals(0.5, m.duration(), 1e-12);                   // the failed request still took time
    assertEquals(1, m.maxConcurrentRequests());               // only successful requests
  }

  @Test
  void allFailed() {
    LevelMetrics m = compute(List.of(failed(0, 30, "HTTP 503"), failed(5, 40, "HTTP 503")), Slo.NONE);
    assertEquals(0, m.completed());
    assertEquals(2, m.failed());
    assertEquals(0, m.requestThroughput(), 0);
    assertEquals(0, m.summaries().get("ttft").mean(), 0);
    assertEquals(0, m.maxOutputTokensPerS(), 0);
    assertEquals(0, m.maxConcurrentRequests());
    assertEquals(0.040, m.duration(), 1e-12);
  }

  @Test
  void outputTokensFallBackToTheTextWhenNoUsage() {
    RequestRecord r = ok(0, 3, 10, 20, 30);
    RequestRecord noUsage = new RequestRecord(r.id(), r.profile(), r.level(), 2, 10, 3, r.startNs(),
        r.endNs(), 0, r.chunkNs(), -1, -1, "abcd", true, null);
    LevelMetrics m = compute(List.of(noUsage), Slo.NONE);
    assertEquals(4, m.totalOutput());                         // the counter's length of "abcd"
    assertEquals(10, m.totalInput());                         // the requested input length
  }

  @Test
  void goodputCountsRequestsMeetingEverySlo() {
    // TTFTs 100 and 200 ms, TPOTs 25 and 20 ms
    List<RequestRecord> rs = List.of(ok(0, 3, 100, 120, 150), ok(10, 2, 200, 220));
    assertEquals(1 / 0.230, compute(rs, Slo.parse("ttft:150")).requestGoodput(), 1e-9);
    assertEquals(2 / 0.230, compute(rs, Slo.parse("ttft:200")).requestGoodput(), 1e-9);
    assertEquals(1 / 0.230, compute(rs, Slo.parse("ttft:300,tpot:22")).requestGoodput(), 1e-9);
    assertEquals(0, compute(rs, Slo.parse("e2el:100")).requestGoodput(), 0);
  }

  @Test
  void peaksCountChunksPerSecondAndHalfOpenOverlap() {
    // A ends exactly when B starts: half-open intervals do not overlap
    RequestRecord a = ok(0, 2, 500, 1000);
    RequestRecord b = ok(1000, 3, 100, 200, 1500);
    LevelMetrics m = compute(List.of(a, b), Slo.NONE);
    assertEquals(1, m.maxConcurrentRequests());
    // chunk times 0.5, 1.0, 1.1, 1.2, 2.5 s: bins [0,1): 1, [1,2): 3, [2,3): 1
    assertEquals(3, m.maxOutputTokensPerS(), 0);
  }
}
