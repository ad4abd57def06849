package llmbench.stop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import llmbench.trace.RequestRecord;
import org.junit.jupiter.api.Test;

class ClimbTest {
  private static RequestRecord answer(String level, boolean ok) {
    return new RequestRecord("id", "low", level, 4, 100, 10, 0, 1, 0, new long[0], 100, 10, "", ok, ok ? null : "HTTP 500");
  }

  @Test
  void theErrorRateIsJudgedFromTheMinimumOnAndEndsTheClimb() {
    Climb climb = new Climb(new StopRules(0.2, 10, null, false));
    climb.begin("c004", System.nanoTime());
    for (int i = 0; i < 9; i++) {
      climb.answered(answer("c004", false)); // 9 of 9 failed: below the minimum, not judged yet
    }
    assertTrue(climb.goOn("c004"));
    climb.answered(answer("c004", true)); // 9 of 10 failed: 90 % > 20 %
    assertFalse(climb.goOn("c004"));
    assertTrue(climb.goOn("c008"), "only the level whose requests failed stops at once");
    assertNull(climb.over());
    LevelEnd end = climb.end("c004", null, List.of("c008", "c016"));
    assertEquals(LevelEnd.MAX_ERROR_RATE, end.stoppedBy());
    assertEquals(List.of("c008", "c016"), end.skipped());
    assertTrue(end.reason().startsWith("stopped by --max-error-rate 0.2: 9 of the first 10 answered requests failed (90 %)"),
        end.reason());
    assertTrue(end.reason().endsWith("the climb ends at c004, skipped c008, c016"), end.reason());
    assertFalse(climb.goOn("c008"), "the climb is over");
  }

  @Test
  void aRateAtTheLimitGoesOn() {
    Climb climb = new Climb(new StopRules(0.2, 10, null, false));
    for (int i = 0; i < 10; i++) {
      climb.answered(answer("c004", i >= 2)); // 2 of 10 failed: 20 %, not more
    }
    assertTrue(climb.goOn("c004"));
    climb.answered(answer("c004", false)); // 3 of 11
    assertFalse(climb.goOn("c004"));
  }

  @Test
  void aDurationEndsItsLevelOnlyAndWarmUpsAreNotCounted() {
    Climb climb = new Climb(new StopRules(0.2, 1, Duration.ofMillis(1), false));
    RequestRecord warm = new RequestRecord("w", "low", "warmup", 1, 100, 10, 0, 1, 0, new long[0], -1, -1, "", false, "x");
    assertTrue(warm.warmup());
    climb.answered(warm);
    climb.begin("c004", System.nanoTime() - 2_000_000);
    assertFalse(climb.goOn("c004"));
    LevelEnd end = climb.end("c004", null, List.of("c008"));
    assertEquals(LevelEnd.MAX_DURATION, end.stoppedBy());
    assertEquals(List.of(), end.skipped());
    assertNull(climb.over());
    assertTrue(climb.goOn("c008"));
  }

  @Test
  void badRulesAreOneLineNamingTheOption() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new StopRules(1.0, 20, null, false)).getMessage()
        .startsWith("--max-error-rate"));
    assertEquals(Duration.ofSeconds(90), StopRules.duration("--max-duration", "90"));
    assertEquals(Duration.ofMinutes(5), StopRules.duration("--max-duration", "5m"));
    assertEquals(Duration.ofMillis(500), StopRules.duration("--max-duration", "500ms"));
    assertEquals(Duration.ofMillis(1500), StopRules.duration("--max-duration", "1.5s"));
    for (String bad : List.of("", "0", "-3", "5x", "abc", "s")) {
      assertTrue(assertThrows(IllegalArgumentException.class, () -> StopRules.duration("--max-duration", bad))
          .getMessage().startsWith("--max-duration: '" + bad + "'"), bad);
    }
  }
}
