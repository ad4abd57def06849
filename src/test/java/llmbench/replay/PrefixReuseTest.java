package llmbench.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixReuseTest {
  private static TraceEntry e(int input, long... ids) {
    return new TraceEntry(1, 0, input, 1, ids);
  }

  @Test
  void sharedLeadingBlocksCountAsReuseByHand() {
    // block size 4:
    // a: [1 2 3] 10 tokens (4 + 4 + 2)        nothing before it
    // b: [1 2 5] 12 tokens                    shares 1 and 2: 8
    // c: [1 2 3] 11 tokens (4 + 4 + 3)        shares 1, 2 and 2 tokens of 3 (a held only 2): 10
    // d: [9 2 3] 12                           another first block: nothing
    // e: [1 2 3] 12                           c held 3 tokens of 3: 4 + 4 + 3 = 11
    // f: [1] 3                                3 of block 1
    List<TraceEntry> t = List.of(e(10, 1, 2, 3), e(12, 1, 2, 5), e(11, 1, 2, 3), e(12, 9, 2, 3), e(12, 1, 2, 3),
        e(3, 1));
    PrefixReuse.Implied r = PrefixReuse.of(t, 4);
    assertEquals(10 + 12 + 11 + 12 + 12 + 3, r.tokens());
    assertEquals(8 + 10 + 11 + 3, r.shared());
  }

  @Test
  void noIdsNoReuse() {
    assertEquals(0, PrefixReuse.of(List.of(e(100), e(100)), 16).shared());
  }
}
