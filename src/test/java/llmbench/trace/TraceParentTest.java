package llmbench.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TraceParentTest {
  @Test
  void theTraceIdIsTheRunTagThenTheRequestNumber() {
    assertEquals("00-1a2b3c4d0000000000000000000004d2-00000000000004d2-01", TraceParent.of("1a2b3c4d-1234"));
  }

  @Test
  void otherIdsGetAValidHeaderAllTheSame() {
    String a = TraceParent.of("client-warmup-5");
    String b = TraceParent.of("gt-1");
    assertTrue(a.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), a);
    assertTrue(b.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), b);
    assertNotEquals(a, b);
    assertNotEquals("00000000000000000000000000000000", TraceParent.traceId("x"));
  }
}
