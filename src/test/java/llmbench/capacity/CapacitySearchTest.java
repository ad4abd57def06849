package llmbench.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class CapacitySearchTest {
  private static final SloTargets SLO = SloTargets.parse("ttft_p99:500,tpot_p99:20");

  /** A server whose P99 TTFT is {@code ttft(load)} and TPOT 10 ms; counts what was measured. */
  static final class FakeServer implements CapacitySearch.Prober {
    final DoubleUnaryOperator ttft;
    final List<String> measured = new ArrayList<>();
    final Map<String, Probe> files = new HashMap<>(); // what a resumed search finds on disk
    DoubleUnaryOperator repeatTtft;

    FakeServer(DoubleUnaryOperator ttft) {
      this.ttft = ttft;
    }

    @Override
    public Probe probe(double load, int repeat) {
      String key = load + "#" + repeat;
      Probe known = files.get(key);
      if (known != null) {
        return known;
      }
      measured.add(CapacitySearch.fmt(load) + (repeat > 0 ? "r" + repeat : ""));
      double v = repeat > 0 && repeatTtft != null ? repeatTtft.applyAsDouble(load) : ttft.applyAsDouble(load);
      ObjectNode r = new ObjectMapper().createObjectNode().put("num_prompts", 100).put("p99_ttft_ms", v).put("p99_tpot_ms", 10.0)
          .put("completed", 100).put("failed", 0).put("server_waiting_max", Math.max(0, load - 32));
      Probe p = Probe.judge(load, repeat, "c" + CapacitySearch.fmt(load), "f", llmbench.testutil.Results.of(r), SLO, 0.1, null);
      files.put(key, p);
      return p;
    }
  }

  private static CapacitySearch.Settings concurrency(double max) {
    return new CapacitySearch.Settings(CapacitySearch.By.CONCURRENCY, 1, max, 0.1, 16, 0.1, 1);
  }

  /** --max-num-seqs 32: nothing queues up to 32, beyond it a request waits a whole request (~1 s). */
  private static double queueing(double load) {
    return load <= 32 ? 40 : 1000;
  }

  @Test
  void findsTheQueueingLimitWithinOneStepInBoundedProbes() throws Exception {
    FakeServer server = new FakeServer(CapacitySearchTest::queueing);
    CapacitySearch.Answer a = new CapacitySearch(concurrency(512), server).run(SLO);
    assertEquals(32.0, a.largestMet());
    assertTrue(a.smallestBroken() - a.largestMet() <= Math.max(1, 0.1 * 32), "one step: " + a.smallestBroken());
    assertEquals(List.of("1", "2", "4", "8", "16", "32", "64", "48", "40", "36", "34"), server.measured);
    assertEquals(List.of("ttft_p99 1000.0 > 500"), a.firstBroken());
    assertEquals(2.0, a.serverAtLimit().get("server_waiting_max"));
    assertTrue(a.confidence().startsWith("clear"), a.confidence());
    assertTrue(a.summary().startsWith("capacity: 32 concurrent requests met every target; 34 broke ttft_p99"), a.summary());
  }

  @Test
  void aResumedSearchMeasuresNothingItHad() throws Exception {
    FakeServer server = new FakeServer(CapacitySearchTest::queueing);
    new CapacitySearch(concurrency(512), server).run(SLO);
    int before = server.measured.size();
    CapacitySearch.Answer again = new CapacitySearch(concurrency(512), server).run(SLO);
    assertEquals(before, server.measured.size(), "a resumed search re-measured " + server.measured.subList(before, server.measured.size()));
    assertEquals(32.0, again.largestMet());
  }

  @Test
  void aServerThatMeetsTheTargetsAtTheLargestLoadSaysSo() throws Exception {
    CapacitySearch.Answer a = new CapacitySearch(concurrency(48), new FakeServer(l -> 40)).run(SLO);
    assertEquals(48.0, a.largestMet());
    assertNull(a.smallestBroken());
    assertTrue(a.summary().contains("largest load allowed"), a.summary());
  }

  @Test
  void aServerThatBreaksAtTheFirstLoadHasNoCapacity() throws Exception {
    CapacitySearch.Answer a = new CapacitySearch(concurrency(64), new FakeServer(l -> 900)).run(SLO);
    assertNull(a.largestMet());
    assertEquals(1.0, a.smallestBroken());
    assertEquals(1, a.probes().size());
  }

  @Test
  void decidingProbesNearTheLimitAreRepeatedAndDisagreementIsSaid() throws Exception {
    // 32 met with 480 ms (within 10 % of 500): repeated; the repeat breaks it
    FakeServer server = new FakeServer(l -> l <= 32 ? 480 : 1000);
    server.repeatTtft = l -> 520;
    CapacitySearch.Answer a = new CapacitySearch(concurrency(512), server).run(SLO);
    assertTrue(server.measured.contains("32r1"), server.measured.toString());
    assertTrue(a.confidence().startsWith("uncertain: c32 met the targets once and broke them on a repeat"), a.confidence());
    FakeServer steady = new FakeServer(l -> l <= 32 ? 480 : 1000);
    assertEquals("confirmed by a repeat", new CapacitySearch(concurrency(512), steady).run(SLO).confidence());
  }

  @Test
  void aRateSearchBisectsOnRealNumbers() throws Exception {
    FakeServer server = new FakeServer(r -> r <= 11.3 ? 100 : 800);
    CapacitySearch.Answer a = new CapacitySearch(new CapacitySearch.Settings(CapacitySearch.By.RATE, 1, 256, 0.05,
        20, 0.1, 1), server).run(SLO);
    assertTrue(a.largestMet() <= 11.3 && a.smallestBroken() > 11.3, a.largestMet() + " .. " + a.smallestBroken());
    assertTrue(a.smallestBroken() - a.largestMet() <= 0.05 * a.largestMet() + 1e-9);
  }

  @Test
  void badTargetsAreOneLineErrors() {
    assertEquals("bad SLO 'ttft:500': use METRIC_STAT:MS with METRIC ttft, tpot, itl or e2el and STAT p99, p90, "
        + "mean or median, e.g. ttft_p99:500", assertThrows(IllegalArgumentException.class,
            () -> SloTargets.parse("ttft:500")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> SloTargets.parse("ttft_p99:-1"));
    assertThrows(IllegalArgumentException.class, () -> SloTargets.parse("foo_p99:5"));
    assertEquals(List.of(99.0, 90.0), SloTargets.parse("ttft_p99:500,e2el_p90:9000,tpot_mean:30").percentiles());
    assertEquals("ttft:500,e2el:9000,tpot:30", SloTargets.parse("ttft_p99:500,e2el_p90:9000,tpot_mean:30").goodputSpec());
  }

  /** A concurrency probe's summary: its users, P99s within the targets, throughput, median TTFT and queue time. */
  private static llmbench.results.LevelResult probeResult(int users, double outputTokS, double medianTtft, double queueMs,
      Boolean overWithin) {
    ObjectNode r = new ObjectMapper().createObjectNode().put("level", "c" + users).put("num_prompts", 100)
        .put("completed", 100).put("failed", 0).put("request_rate", "inf").put("max_concurrency", users)
        .put("p99_ttft_ms", 300.0).put("p99_tpot_ms", 10.0).put("output_throughput", outputTokS)
        .put("median_ttft_ms", medianTtft).put("server_mean_queue_ms", queueMs);
    if (overWithin != null) {
      r.put("over_saturated", overWithin).put("over_saturation", "over-saturated: the queue grows while it lasts");
    }
    return llmbench.testutil.Results.of(r);
  }

  @Test
  void aProbeThatOnlyQueuesBreaksWhateverItsLatencies() {
    // 32 -> 48 users: 2 % more throughput, TTFT 40 -> 200 ms, 150 ms of it queued: every target met, yet over-saturated
    Probe p = Probe.judge(48, 0, "c048", "f", probeResult(48, 2040, 200, 150, null), SLO, 0.1,
        probeResult(32, 2000, 40, 2, null));
    assertTrue(!p.met() && p.broken().get(0).startsWith("over-saturated: 1.50x the load of c32"), p.broken().toString());
    // the same probe with nothing below it measured, or a climb that still pays, meets them
    assertTrue(Probe.judge(48, 0, "c048", "f", probeResult(48, 2040, 200, 150, null), SLO, 0.1, null).met());
    assertTrue(Probe.judge(48, 0, "c048", "f", probeResult(48, 2900, 60, 5, null), SLO, 0.1,
        probeResult(32, 2000, 40, 2, null)).met());
    // its own run found the queue growing within it (a rate probe): that breaks it too
    Probe within = Probe.judge(48, 0, "c048", "f", probeResult(48, 2900, 60, 5, true), SLO, 0.1, null);
    assertEquals(List.of("over-saturated: the queue grows while it lasts"), within.broken());
  }
}
