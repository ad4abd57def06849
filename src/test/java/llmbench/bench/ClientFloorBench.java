package llmbench.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbench.gatling.llm.PipelineBench;
import llmbench.stats.Distribution;

/**
 * Where a chunk's CPU goes at 128 streams × 100 tokens, 10 ms steps, the mock in its own process:
 * the lightest reader a JVM can be (one thread, one selector, each read dropped: what the kernel and a
 * read cost on this machine, whatever the client does with the bytes), the LLM action's own handlers
 * without a socket, and the client itself in steady state (the same level again and again in one warm
 * JVM: the whole JVM's CPU and its event loops'). Medians and the worst of the runs.
 */
final class ClientFloorBench {
  static final int STREAMS = 128;
  static final int TOKENS = 100;

  private ClientFloorBench() {}

  static Map<String, Object> run(Path work, int runs) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("streams", STREAMS);
    r.put("tokens", TOKENS);
    r.put("runs", runs);
    try (FidelityBench fidelity = new FidelityBench(work)) { // one mock for the reader and the client
      r.put("reader", reader(fidelity.mock(10), runs));
      r.put("pipeline", pipeline(runs));
      r.put("client", client(fidelity, runs));
    }
    return r;
  }

  private static Map<String, Object> reader(MockProcess mock, int runs) throws Exception {
    var mx = ManagementFactory.getThreadMXBean();
    List<Double> total = new ArrayList<>();
    long cpuNs = 0;
    long userNs = 0;
    String body = BenchUtil.body(199, TOKENS);
    DrainClient.run(mock.port(), STREAMS, STREAMS, body); // the mock's and this loop's JIT
    for (int i = 0; i < runs; i++) {
      long c0 = mx.getCurrentThreadCpuTime();
      long u0 = mx.getCurrentThreadUserTime();
      DrainClient.run(mock.port(), STREAMS, STREAMS, body);
      long c = mx.getCurrentThreadCpuTime() - c0;
      cpuNs += c;
      userNs += mx.getCurrentThreadUserTime() - u0;
      total.add(c / 1e3 / (STREAMS * TOKENS));
    }
    Distribution d = BenchUtil.dist(total);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("us_per_chunk_median", d.median());
    m.put("us_per_chunk_worst", BenchUtil.max(d));
    // the thread's user time is counted in scheduler ticks: only the sum over the runs is worth reading
    m.put("kernel_share", cpuNs == 0 ? 0 : (cpuNs - userNs) / (double) cpuNs);
    return m;
  }

  private static Map<String, Object> pipeline(int runs) {
    PipelineBench.run(20_000); // compiled as the client's flags compile it
    List<Double> us = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      us.add(((Number) PipelineBench.run(4_000).get("us_per_chunk")).doubleValue());
    }
    Distribution d = BenchUtil.dist(us);
    return Map.of("us_per_chunk_median", d.median(), "us_per_chunk_worst", BenchUtil.max(d));
  }

  private static Map<String, Object> client(FidelityBench fidelity, int runs) throws Exception {
    List<Double> whole = new ArrayList<>();
    List<Double> loops = new ArrayList<>();
    for (int i = 0; i < 4; i++) { // the first levels of this JVM compile the request path
      fidelity.run(STREAMS, 10, true);
    }
    for (int i = 0; i < runs; i++) {
      Map<String, Object> row = fidelity.run(STREAMS, 10, true);
      long chunks = ((Number) row.get("chunks")).longValue();
      whole.add((double) row.get("client_cpu_us_per_chunk"));
      Object loopMs = ((Map<?, ?>) row.get("client_cpu_by_thread_ms")).get("event_loops");
      loops.add(((Number) loopMs).doubleValue() * 1e3 / chunks);
    }
    Distribution w = BenchUtil.dist(whole);
    Distribution l = BenchUtil.dist(loops);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("us_per_chunk_median", w.median());
    m.put("us_per_chunk_worst", BenchUtil.max(w));
    m.put("event_loops_us_per_chunk_median", l.median());
    m.put("event_loops_us_per_chunk_worst", BenchUtil.max(l));
    return m;
  }
}
