package llmbench.stop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.PriorityQueue;
import llmbench.results.LevelResult;
import llmbench.testutil.Results;
import org.junit.jupiter.api.Test;

/**
 * Over-saturation on levels made here: a queue served by a fixed number of slots (arrivals above and
 * below what the slots serve), and the climb's knee from results whose numbers are set by hand.
 */
class SaturationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A closed level's summary: its users, output throughput, median TTFT and, when given, vLLM's mean queue time. */
  private static LevelResult closed(String label, int users, double outputTokS, double medianTtftMs, Double queueMs,
      Double waitingMean) {
    ObjectNode r = JSON.createObjectNode().put("level", label).put("num_prompts", 100).put("completed", 100)
        .put("failed", 0).put("request_rate", "inf").put("max_concurrency", users).put("output_throughput", outputTokS)
        .put("median_ttft_ms", medianTtftMs);
    if (queueMs != null) {
      r.put("server_mean_queue_ms", queueMs);
    }
    if (waitingMean != null) {
      r.put("server_waiting_mean", waitingMean);
    }
    return Results.of(r);
  }

  @Test
  void aClosedLevelPastTheServersSlotsOnlyQueues() {
    // from a mock run with max_num_seqs 8: c008 -> c016 gave +2.8 % throughput, median TTFT 17 -> 153 ms, 120 ms queued
    Saturation.Verdict v = Saturation.of(closed("c008", 8, 2223, 16.5, 1.0, null), closed("c016", 16, 2286, 153, 120.0, null));
    assertTrue(v.overSaturated(), v.reason());
    assertTrue(v.reason().contains("2.00x the load of c008 gave +2.8 % output throughput"), v.reason());
    assertTrue(v.reason().contains("120 ms of it in the server's queue"), v.reason());
  }

  @Test
  void aClimbThatStillPaysIsNotFlagged() {
    // below the slots: twice the users, nearly twice the throughput
    assertFalse(Saturation.of(closed("c004", 4, 1195, 14.1, 1.0, null), closed("c008", 8, 2223, 16.5, 2.0, null))
        .overSaturated());
    // flat throughput, but nothing waits at the server (compute-bound prefill): saturated, not over-saturated
    assertFalse(Saturation.of(closed("c008", 8, 2223, 16.5, 1.0, null), closed("c016", 16, 2250, 40, 2.0, null))
        .overSaturated());
    // the first level has nothing below
    assertFalse(Saturation.of(null, closed("c016", 16, 2286, 153, 120.0, null)).overSaturated());
  }

  @Test
  void withoutQueueTimeTheWaitingGaugeOrATtftJumpDecides() {
    assertTrue(Saturation.of(closed("c8", 8, 100, 20, null, null), closed("c16", 16, 105, 45, null, 7.5)).overSaturated());
    assertFalse(Saturation.of(closed("c8", 8, 100, 20, null, null), closed("c16", 16, 105, 45, null, 0.2)).overSaturated());
    // a server that tells no queue: TTFT must at least double
    assertFalse(Saturation.of(closed("c8", 8, 100, 20, null, null), closed("c16", 16, 105, 36, null, null)).overSaturated());
    Saturation.Verdict blind = Saturation.of(closed("c8", 8, 100, 20, null, null), closed("c16", 16, 105, 45, null, null));
    assertTrue(blind.overSaturated());
    assertTrue(blind.reason().contains("the server tells no queue"), blind.reason());
  }

  /**
   * A rate level of {@code n} requests every {@code 1/rate} s, served first come first served by
   * {@code slots} slots of {@code serviceS} each, the first token {@code prefillS} after a slot takes it.
   */
  private static LevelResult rateLevel(double rate, int n, int slots, double serviceS, double prefillS) {
    double[] starts = new double[n];
    double[] ttfts = new double[n];
    double[] latencies = new double[n];
    PriorityQueue<Double> free = new PriorityQueue<>();
    for (int i = 0; i < slots; i++) {
      free.add(0.0);
    }
    for (int i = 0; i < n; i++) {
      starts[i] = i / rate;
      double begins = Math.max(starts[i], free.poll());
      ttfts[i] = begins - starts[i] + prefillS;
      latencies[i] = begins - starts[i] + serviceS;
      free.add(begins + serviceS);
    }
    ObjectNode r = JSON.createObjectNode().put("level", "r" + (int) rate).put("num_prompts", n).put("completed", n)
        .put("failed", 0).put("request_rate", rate).put("output_throughput", 1.0).put("median_ttft_ms", 10.0);
    r.set("start_times", JSON.valueToTree(starts));
    r.set("ttfts", JSON.valueToTree(ttfts));
    r.set("latencies", JSON.valueToTree(latencies));
    return Results.of(r);
  }

  @Test
  void aRateAboveWhatTheSlotsServeGrowsTheQueueWithinTheLevel() {
    // 8 slots of 160 ms serve 50 req/s: at 100 req/s the queue grows by 50 a second
    Saturation.Verdict over = Saturation.of(null, rateLevel(100, 300, 8, 0.16, 0.01));
    assertTrue(over.overSaturated(), over.reason());
    assertTrue(over.reason().contains("the queue grows while it lasts"), over.reason());
    assertTrue(over.evidence().get("saturation_in_flight_rise") > 50, over.evidence().toString());
    // at 20 and at 45 req/s the slots keep up: nothing grows
    assertFalse(Saturation.of(null, rateLevel(20, 300, 8, 0.16, 0.01)).overSaturated());
    assertFalse(Saturation.of(null, rateLevel(45, 300, 8, 0.16, 0.01)).overSaturated());
  }

  @Test
  void aClosedLevelIsNotJudgedWithinItself() {
    assertNull(Saturation.within(closed("c16", 16, 2286, 153, 120.0, null), new java.util.HashMap<>()));
  }
}
