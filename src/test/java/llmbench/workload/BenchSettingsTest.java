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
}
