package llmbench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchSettingsTest {
  @Test
  void warmUpsAndTheClientWarmUpCanBeTurnedOff() {
    BenchSettings defaults = BenchSettings.from(Map.of(), Map.of());
    assertEquals(2, defaults.warmupRequests());
    assertTrue(defaults.clientWarmup());
    BenchSettings off = BenchSettings.from(Map.of("llm.warmup", "0", "llm.clientWarmup", "false"), Map.of());
    assertEquals(0, off.warmupRequests());
    assertFalse(off.clientWarmup());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchSettings.from(Map.of("llm.warmup", "-1"), Map.of()));
    assertEquals("llm.warmup (0 for none) must be a positive integer, not '-1'", e.getMessage());
  }

  @Test
  void connectionsAreKeptAliveUnlessAskedAndATokenizerIsOnlyWhatWasGiven() {
    BenchSettings defaults = BenchSettings.from(Map.of(), Map.of());
    assertTrue(defaults.keepAlive());
    assertEquals(null, defaults.tokenizerDir(), "none given: the run decides (fake_model/, or the mock's own)");
    assertFalse(BenchSettings.from(Map.of("llm.connections", "per-request"), Map.of()).keepAlive());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchSettings.from(Map.of("llm.connections", "pooled"), Map.of()));
    assertEquals("llm.connections must be keep-alive or per-request, not 'pooled'", e.getMessage());
  }

  @Test
  void requestRatesAndTheirOptions() {
    BenchSettings closed = BenchSettings.from(Map.of(), Map.of());
    assertFalse(closed.open());
    BenchSettings open = BenchSettings.from(Map.of("llm.requestRate", "1, 2.5,inf", "llm.burstiness", "0.5",
        "llm.maxConcurrency", "8", "llm.numPrompts", "50"), Map.of());
    assertEquals(java.util.List.of(1.0, 2.5, Double.POSITIVE_INFINITY), open.requestRates());
    assertEquals(0.5, open.burstiness());
    assertEquals(8, open.maxConcurrency());
    assertEquals(50, open.numPrompts());
    assertEquals(BenchSettings.DEFAULT_NUM_PROMPTS, BenchSettings.from(Map.of("llm.requestRate", "4"), Map.of()).numPrompts());
    // an option that only a rate level reads is an error without one, not silently ignored
    assertEquals("llm.maxConcurrency (--max-concurrency) applies to request-rate levels only: give llm.requestRate "
        + "(--request-rate) too", assertThrows(IllegalArgumentException.class,
            () -> BenchSettings.from(Map.of("llm.maxConcurrency", "8"), Map.of())).getMessage());
    assertThrows(IllegalArgumentException.class, () -> BenchSettings.from(Map.of("llm.requestRate", "2,2"), Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> BenchSettings.from(Map.of("llm.requestRate", "2", "llm.burstiness", "-1"), Map.of()));
    assertThrows(IllegalArgumentException.class, () -> BenchSettings.from(Map.of("llm.requestRate", "2",
        "llm.levels", "4"), Map.of()).apply(Profile.LOW));
  }

  @Test
  void aRunWithoutASeedGetsAFreshOneAndAGivenSeedRepeats() {
    java.util.Set<Long> seeds = new java.util.HashSet<>();
    for (int i = 0; i < 5; i++) {
      seeds.add(BenchSettings.from(Map.of(), Map.of()).seed());
    }
    assertEquals(5, seeds.size(), "five runs, five seeds: " + seeds);
    assertEquals(42L, BenchSettings.from(Map.of("llm.seed", "42"), Map.of()).seed());
    assertEquals("llm.seed must be a whole number, not 'x'",
        assertThrows(IllegalArgumentException.class, () -> BenchSettings.from(Map.of("llm.seed", "x"), Map.of())).getMessage());
  }

  @Test
  void sessionsAreChatAndRefuseAnExplicitCompletionsEndpoint() {
    BenchSettings s = BenchSettings.from(Map.of("llm.turns", "3", "llm.thinkTimeMs", "250"), Map.of());
    assertTrue(s.chat());
    assertEquals(3, s.turns());
    assertEquals("--turns sends conversations to /v1/chat/completions: leave out --endpoint completions",
        assertThrows(IllegalArgumentException.class, () -> BenchSettings.from(Map.of("llm.turns", "3",
            "llm.endpoint", "completions"), Map.of())).getMessage());
    assertThrows(IllegalArgumentException.class, () -> BenchSettings.from(Map.of("llm.thinkTimeMs", "250"), Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> BenchSettings.from(Map.of("llm.turns", "2", "llm.requestRate", "4"), Map.of()));
  }
}
