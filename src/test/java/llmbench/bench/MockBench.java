package llmbench.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.stats.Distribution;

/**
 * The mock alone: how many streams it serves, how late it sends chunks against its own step
 * schedule, and the TTFT/TPOT curve its serving model produces. The client only drains the streams;
 * every figure comes from the mock's ground truth.
 */
final class MockBench {
  private MockBench() {}

  /** {@code streams} concurrent streams of {@code tokens} tokens, one decode step every {@code stepMs}. */
  static Map<String, Object> capacity(int streams, int tokens, double stepMs) throws Exception {
    MockConfig cfg = MockConfig.builder().port(0).stepModel(StepModel.fixed(stepMs)).maxNumSeqs(streams)
        .maxNumBatchedTokens(Math.max(8192, streams * 32)).numGpuBlocks(1_000_000).keepTraces(true).build();
    try (MockServer mock = MockServer.start(cfg)) {
      DrainClient.run(mock.port(), Math.min(streams, 64), 256, BenchUtil.body(20, 20)); // warm-up
      mock.groundTruth().clear();
      long cpu0 = processCpuNs();
      double wall = DrainClient.run(mock.port(), streams, streams, BenchUtil.body(20, tokens));
      double cpuS = (processCpuNs() - cpu0) / 1e9;
      Thread.sleep(200); // the mock records a request just after its last bytes leave
      int failed = 0;
      List<Double> late = new ArrayList<>();
      int complete = 0;
      for (GroundTruth.Trace t : mock.groundTruth().all()) {
        complete += t.completionTokens() == tokens ? 1 : 0;
        for (int i = 0; i < t.tokenDueNs().length; i++) {
          late.add((t.tokenSentNs()[i] - t.tokenDueNs()[i]) / 1e6);
        }
      }
      Distribution d = BenchUtil.dist(late);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("streams", streams);
      r.put("tokens_per_stream", tokens);
      r.put("step_ms", stepMs);
      r.put("completed_streams", complete);
      r.put("failed", failed);
      r.put("chunks", late.size());
      r.put("chunks_per_s", late.size() / wall);
      r.put("cpu_us_per_chunk_mock_and_client", cpuS * 1e6 / late.size());
      r.put("lateness_p50_ms", d.median());
      r.put("lateness_p99_ms", d.percentile(99));
      r.put("lateness_max_ms", BenchUtil.max(d));
      System.out.printf("mock capacity: %d streams x %d tokens at %.0f ms steps: %d complete, %d failed, "
          + "%.0f chunks/s, %.1f us CPU/chunk (mock + client); lateness (ms) %s%n", streams, tokens, stepMs,
          complete, failed, late.size() / wall, cpuS * 1e6 / late.size(), BenchUtil.pct(d));
      return r;
    }
  }

  static long processCpuNs() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** TTFT and TPOT versus concurrency for 200-in/250-out on the default (8B on H100) model. */
  static List<Map<String, Object>> curve(int[] levels) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int c : levels) {
      try (MockServer mock = MockServer.start(MockConfig.builder().port(0).keepTraces(true).build())) {
        int total = Math.max(c, 8);
        DrainClient.run(mock.port(), c, total, BenchUtil.body(199, 250)); // 199 words + BOS = 200 tokens
        Thread.sleep(200); // the mock records a request just after its last bytes leave
        List<Double> ttft = new ArrayList<>();
        List<Double> tpot = new ArrayList<>();
        int preemptions = 0;
        for (GroundTruth.Trace t : mock.groundTruth().all()) {
          long[] s = t.choiceChunkNs();
          ttft.add((s[0] - t.arrivalNs()) / 1e6);
          tpot.add((s[s.length - 1] - s[0]) / 1e6 / (t.completionTokens() - 1));
          preemptions += t.preemptions();
        }
        Distribution a = BenchUtil.dist(ttft);
        Distribution b = BenchUtil.dist(tpot);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("concurrency", c);
        r.put("requests", total);
        r.put("mean_ttft_ms", a.mean());
        r.put("p99_ttft_ms", a.percentile(99));
        r.put("mean_tpot_ms", b.mean());
        r.put("p99_tpot_ms", b.percentile(99));
        r.put("preemptions", preemptions);
        rows.add(r);
        System.out.printf("mock curve: c=%d: TTFT mean %.1f p99 %.1f ms, TPOT mean %.2f p99 %.2f ms%n",
            c, a.mean(), a.percentile(99), b.mean(), b.percentile(99));
      }
    }
    return rows;
  }
}
