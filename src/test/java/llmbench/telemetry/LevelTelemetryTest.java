package llmbench.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-level summaries of hand-made scrapes, checked against figures worked out by hand. */
class LevelTelemetryTest {
  private static TelemetryCsv.Scrape scrape(long t, String level, String event, double running, double waiting,
      double kv, double preemptions, double ttftSum, double ttftCount) {
    return new TelemetryCsv.Scrape(t, level, event, Map.of("running", running, "waiting", waiting,
        "kv_cache_usage", kv, "preemptions", preemptions, "ttft_seconds_sum", ttftSum,
        "ttft_seconds_count", ttftCount));
  }

  /** c001 ran from 1,000 to 4,000 ms; c002 after it. */
  private static final List<TelemetryCsv.Scrape> RUN = List.of(
      scrape(500, "", "tick", 0, 0, 0.0, 2, 10.0, 100),
      scrape(1001, "c001", "start", 0, 0, 0.0, 2, 10.0, 100),
      scrape(1500, "c001", "tick", 8, 2, 0.50, 2, 10.4, 104),
      scrape(2500, "c001", "tick", 8, 0, 0.75, 3, 11.0, 106),
      scrape(3500, "c001", "tick", 6, 0, 0.25, 3, 11.2, 108),
      scrape(4002, "c001", "end", 0, 0, 0.0, 4, 11.6, 110),
      scrape(4500, "c002", "start", 0, 0, 0.0, 4, 11.6, 110),
      scrape(5000, "c002", "tick", 4, 0, 0.1, 4, 11.8, 112));

  @Test
  void gaugesComeFromTheTicksInsideAndCountersFromTheEdges() {
    LevelTelemetry t = LevelTelemetry.of("vllm", RUN, "c001", 1000, 4000);
    assertEquals(5, t.scrapes());
    assertEquals((8 + 8 + 6) / 3.0, t.runningMean(), 1e-12);
    assertEquals(8.0, t.runningMax());
    assertEquals(2 / 3.0, t.waitingMean(), 1e-12);
    assertEquals(2.0, t.waitingMax());
    assertEquals(75.0, t.kvCacheUsageMaxPct(), 1e-12);
    assertEquals(2.0, t.preemptions()); // 4 - 2
    assertEquals(1.6 / 10 * 1000, t.meanTtftMs(), 1e-9); // (11.6 - 10.0) s over (110 - 100) requests
    assertNull(t.meanItlMs()); // not in these scrapes
    assertFalse(t.restarted());
  }

  @Test
  void aCounterThatDropsIsARestartCountedFromZero() {
    List<TelemetryCsv.Scrape> run = List.of(
        scrape(1000, "c001", "start", 0, 0, 0, 5, 20.0, 200),
        scrape(2000, "c001", "tick", 4, 0, 0.2, 6, 20.5, 205),
        scrape(3000, "c001", "tick", 4, 0, 0.2, 0, 0.3, 3), // the server came back
        scrape(4000, "c001", "end", 0, 0, 0, 1, 0.5, 5));
    LevelTelemetry t = LevelTelemetry.of("vllm", run, "c001", 1000, 4000);
    assertTrue(t.restarted());
    assertEquals(1 + 0 + 1, t.preemptions(), 1e-12); // 5→6, restart at 0, 0→1
    assertEquals((0.5 + 0.3 + 0.2) / (5 + 3 + 2) * 1000, t.meanTtftMs(), 1e-9);
    assertEquals(Boolean.TRUE, t.toMetadata().get("server_restarted"));
  }

  @Test
  void withoutMarksTheWindowPicksTheScrapesAroundTheLevel() {
    List<TelemetryCsv.Scrape> unmarked = RUN.stream().map(s -> new TelemetryCsv.Scrape(s.epochMs(), "", "tick",
        s.values())).toList();
    LevelTelemetry t = LevelTelemetry.of("vllm", unmarked, "c001", 1000, 4000);
    // from the last scrape before the start (500 ms) to the first after the end (4,002 ms)
    assertEquals(2.0, t.preemptions());
    assertEquals(8.0, t.runningMax());
    assertEquals(6, t.scrapes()); // 500, 1001, 1500, 2500, 3500, 4002
  }

  @Test
  void aLevelOfFewerThanThreeTicksHasCountersButNoGauges() {
    List<TelemetryCsv.Scrape> run = List.of(
        scrape(1000, "c001", "start", 0, 0, 0, 0, 1.0, 10),
        scrape(1100, "c001", "tick", 4, 0, 0.1, 0, 1.2, 11),
        scrape(1200, "c001", "tick", 0, 0, 0, 0, 1.5, 12), // the last ms: the server is done, the client not yet
        scrape(1300, "c001", "end", 0, 0, 0, 0, 1.5, 12));
    LevelTelemetry t = LevelTelemetry.of("vllm", run, "c001", 1001, 1299);
    assertNull(t.runningMax(), "the idle server before and after is not the level");
    assertNull(t.kvCacheUsageMaxPct());
    assertEquals(250.0, t.meanTtftMs(), 1e-9);
    assertTrue(t.consoleLine(250).contains("no gauges: the level was shorter than 3 scrape intervals"));
  }

  @Test
  void noScrapesAroundTheLevelGiveNoSummary() {
    assertNull(LevelTelemetry.of("vllm", RUN, "c009", 9000, 9500));
    assertNull(LevelTelemetry.of("vllm", List.of(), "c001", 1000, 4000));
  }

  @Test
  void theScraperFileIsReadBackScrapeByScrape(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("server_metrics.csv");
    Files.writeString(f, """
        epoch_ms,level,event,metric,value
        1000,c001,start,running,0.0
        1000,c001,start,ttft_seconds_sum,1.5
        2000,c001,tick,running,8.0
        3000,c001,end,running,0.0
        3000,c001,end,ttft_seconds_sum,2.0
        4000,c001,end,ttft_sec""");
    List<TelemetryCsv.Scrape> s = TelemetryCsv.read(f);
    assertEquals(3, s.size());
    assertEquals(Map.of("running", 0.0, "ttft_seconds_sum", 1.5), s.get(0).values());
    assertEquals("tick", s.get(1).event());
    assertEquals(2.0, s.get(2).get("ttft_seconds_sum")); // the torn last line (a crash mid-write) is dropped
    assertTrue(TelemetryCsv.read(dir.resolve("missing.csv")).isEmpty());
  }

  /** vLLM's spec_decode counters over a level: acceptance rate and mean acceptance length (FIELD_NOTES §20). */
  @Test
  void speculativeAcceptanceFromTheCountersDeltas() {
    List<TelemetryCsv.Scrape> run = List.of(
        new TelemetryCsv.Scrape(1000, "c001", "start", Map.of("spec_drafts", 10.0, "spec_draft_tokens", 30.0,
            "spec_accepted_tokens", 12.0)),
        new TelemetryCsv.Scrape(2000, "c001", "end", Map.of("spec_drafts", 110.0, "spec_draft_tokens", 330.0,
            "spec_accepted_tokens", 192.0)));
    LevelTelemetry t = LevelTelemetry.of("vllm", run, "c001", 1000, 2000);
    assertEquals(180.0 / 300, t.specAcceptanceRate(), 1e-12);
    assertEquals(1 + 180.0 / 100, t.specMeanAcceptanceLength(), 1e-12);
    assertEquals(0.6, (double) t.toMetadata().get("server_spec_acceptance_rate"), 1e-12);
    assertTrue(t.consoleLine(10).contains("speculative acceptance 60.0 % (mean acceptance length 2.80)"));
    assertNull(LevelTelemetry.of("vllm", RUN, "c001", 1000, 4000).specAcceptanceRate(), "none without the counters");
  }
}
