package llmbench.cancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CancellationTest {
  @Test
  void theShareIsExactAndEvenlySpread() {
    Cancellation quarter = new Cancellation(0.25, 5, null);
    List<Long> picked = new ArrayList<>();
    for (long k = 1; k <= 100; k++) {
      if (quarter.picks(k)) {
        picked.add(k);
      }
    }
    assertEquals(25, picked.size());
    assertEquals(List.of(4L, 8L, 12L), picked.subList(0, 3), "every fourth");
    Cancellation third = new Cancellation(1 / 3.0, 0, Duration.ofMillis(500));
    long n = java.util.stream.LongStream.rangeClosed(1, 90).filter(third::picks).count();
    assertEquals(30, n);
    assertEquals(0, java.util.stream.LongStream.rangeClosed(1, 50).filter(Cancellation.NONE::picks).count());
  }

  @Test
  void whenToCancelIsOneOfTwo() {
    assertEquals("--cancel-rate needs when to cancel: give --cancel-after-tokens N or --cancel-after DURATION (e.g. 500ms)",
        assertThrows(IllegalArgumentException.class, () -> new Cancellation(0.1, 0, null)).getMessage());
    assertEquals("--cancel-after-tokens and --cancel-after: give one",
        assertThrows(IllegalArgumentException.class, () -> new Cancellation(0.1, 3, Duration.ofSeconds(1))).getMessage());
    assertEquals("--cancel-rate must be within 0..1 (or 0%..100%), not 1.5",
        assertThrows(IllegalArgumentException.class, () -> new Cancellation(1.5, 3, null)).getMessage());
  }
}
