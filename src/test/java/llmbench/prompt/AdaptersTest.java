package llmbench.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AdaptersTest {
  private static Map<String, Integer> counts(Adapters a, int n) {
    Map<String, Integer> c = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      c.merge(a.pick(i), 1, Integer::sum);
    }
    return c;
  }

  @Test
  void roundRobinGivesEachItsShareAndRandomFollowsTheWeights() {
    Adapters rr = Adapters.parse("a,b,c", null, 1);
    assertEquals(Map.of("a", 100, "b", 100, "c", 100), counts(rr, 300));
    assertEquals("b", rr.pick(1_000_000L), "by the request's number alone");
    Adapters w = Adapters.parse("a:0.5,b:0.3,c:0.2", null, 7);
    Map<String, Integer> c = counts(w, 10_000);
    // binomial sd at n=10000: 50, 46, 40; five of them is a bound a correct draw passes but for 1 in a million
    assertTrue(Math.abs(c.get("a") - 5000) < 250 && Math.abs(c.get("b") - 3000) < 230 && Math.abs(c.get("c") - 2000) < 200,
        c.toString());
    assertEquals(w.pick(42), Adapters.parse("a:0.5,b:0.3,c:0.2", null, 7).pick(42), "the seed repeats it");
    assertEquals("a:0.5,b:0.3,c:0.2 (random)", w.describe());
    assertEquals("a,b,c (round-robin)", rr.describe());
  }

  @Test
  void mistakesAreOneLine() {
    java.util.function.BiFunction<String, String, String> refused = (m, a) ->
        assertThrows(IllegalArgumentException.class, () -> Adapters.parse(m, a, 0)).getMessage();
    assertEquals("--lora-modules: the weights add up to 0.9, not 1", refused.apply("a:0.5,b:0.4", null));
    assertEquals("--lora-modules names a twice", refused.apply("a,a", null));
    assertEquals("--lora-assignment must be random or round-robin, not 'lru'", refused.apply("a,b", "lru"));
    assertEquals("--lora-assignment round-robin sends each adapter the same share: leave out the weights in "
        + "--lora-modules, or use random", refused.apply("a:0.5,b:0.5", "round-robin"));
    assertEquals("--lora-assignment spreads requests over --lora-modules: give the adapters too", refused.apply(null, "random"));
  }
}
