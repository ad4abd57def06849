package llmbench.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbench.trace.StreamRecorder.Kind;
import org.junit.jupiter.api.Test;

/** Events as Gatling 3.15.1 hands them to SSE checks: {@code {"data":<raw JSON>}}. */
class StreamRecorderTest {
  static String chunk(String id, String text, String finish) {
    return "{\"data\":{\"id\":\"" + id + "\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\""
        + text + "\",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}}";
  }

  static final String USAGE = "{\"data\":{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2}}}";
  static final String DONE = "{\"data\":[DONE]}";

  @Test
  void recordsAVllmStream() {
    StreamRecorder r = new StreamRecorder("x");
    assertEquals(Kind.CHOICES, r.onEvent(chunk("c1", "a", null)));
    assertEquals(Kind.CHOICES, r.onEvent(chunk("c1", "b", "length")));
    assertEquals(Kind.OTHER, r.onEvent(USAGE));
    assertEquals(Kind.DONE, r.onEvent(DONE));
    RequestRecord rec = r.toRecord("p", "c001", 1, 7, 2, null);
    assertTrue(rec.success());
    assertEquals(2, rec.chunkNs().length);
    assertEquals("ab", rec.generatedText());
    assertEquals(7, rec.promptTokens());
    assertEquals(2, rec.completionTokens());
    assertEquals(rec.chunkNs()[1], rec.endNs()); // E2EL ends at the last chunk with choices, not [DONE]
  }

  @Test
  void inBandErrorAfterTokensIsAFailure() {
    StreamRecorder r = new StreamRecorder("x");
    r.onEvent(chunk("c1", "a", null));
    assertEquals(Kind.ERROR, r.onEvent("{\"data\":{\"error\":{\"message\":\"oom\",\"type\":\"x\",\"code\":500}}}"));
    RequestRecord rec = r.toRecord("p", "c001", 1, 7, 2, null);
    assertFalse(rec.success());
    assertEquals("oom", rec.error());
    assertEquals(Kind.ERROR, new StreamRecorder("y").onEvent("{\"data\":{\"object\":\"error\",\"message\":\"old\"}}"));
  }

  @Test
  void aNewResponseIdMeansTheStreamWasSentTwice() {
    StreamRecorder r = new StreamRecorder("x");
    r.onEvent(chunk("c1", "a", null));
    assertEquals(Kind.RECONNECT, r.onEvent(chunk("c2", "a", null)));
    RequestRecord rec = r.toRecord("p", "c001", 1, 7, 2, null);
    assertFalse(rec.success());
    assertTrue(rec.error().contains("reconnected"));
  }

  @Test
  void endOfBodyWithoutDoneButFinishedIsASuccess() {
    StreamRecorder r = new StreamRecorder("x");
    r.onEvent(chunk("c1", "a", "stop"));
    assertTrue(r.toRecord("p", "c001", 1, 7, 1, "End of stream").success());
    StreamRecorder cut = new StreamRecorder("y");
    cut.onEvent(chunk("c1", "a", null));
    RequestRecord rec = cut.toRecord("p", "c001", 1, 7, 5, "stream failed");
    assertFalse(rec.success());
  }

  @Test
  void noChunkIsAFailureWithGatlingsReason() {
    RequestRecord rec = new StreamRecorder("x").toRecord("p", "c001", 1, 7, 2, "HTTP 503");
    assertFalse(rec.success());
    assertEquals("HTTP 503", rec.error());
  }

  @Test
  void chatRoleChunkCountsForTtftAndSpacesAreTolerated() {
    assertTrue(StreamRecorder.hasChoices("{\"data\":{\"choices\": [ {\"delta\":{\"role\":\"assistant\"}}]}}"));
    assertFalse(StreamRecorder.hasChoices("{\"data\":{\"choices\": [ ]}}"));
    assertFalse(StreamRecorder.hasChoices("{\"data\":{\"usage\":{}}}"));
  }
}
