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
  void theResponsesApisEventsInOpenAisFieldOrderAreChunksAndTheirEnd() {
    // the openai package's models, as vLLM serializes them: "type" last
    StreamRecorder r = new StreamRecorder("r1");
    String delta = "{\"content_index\":0,\"delta\":\"%s\",\"item_id\":\"msg_1\",\"logprobs\":[],\"output_index\":0,"
        + "\"sequence_number\":%d,\"type\":\"response.%s_text.delta\"}";
    assertEquals(Kind.OTHER, r.onEvent("{\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\",\"usage\":null},"
        + "\"sequence_number\":0,\"type\":\"response.created\"}", 1_000));
    assertEquals(Kind.OTHER, r.onEvent("{\"item\":{\"id\":\"msg_1\",\"role\":\"assistant\",\"type\":\"message\"},"
        + "\"output_index\":1,\"sequence_number\":1,\"type\":\"response.output_item.added\"}", 1_500));
    assertEquals(Kind.CHOICES, r.onEvent(String.format(delta, "hm", 2, "reasoning"), 2_000));
    assertEquals(Kind.CHOICES, r.onEvent(String.format(delta, "Hello", 3, "output"), 3_000));
    assertEquals(Kind.CHOICES, r.onEvent(String.format(delta, " world", 4, "output"), 4_000));
    assertEquals(Kind.DONE, r.onEvent("{\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"usage\":{"
        + "\"input_tokens\":7,\"output_tokens\":3,\"output_tokens_details\":{\"reasoning_tokens\":1},\"total_tokens\":10}},"
        + "\"sequence_number\":5,\"type\":\"response.completed\"}", 5_000));
    assertEquals(null, r.verdict());
    assertEquals(2_000, r.firstTokenNs(), "the first delta with text, thinking included");
    RequestRecord rec = r.toRecord("p", "c1", 1, 7, 3, null);
    assertTrue(rec.success(), rec.error());
    assertEquals(3, rec.chunkNs().length);
    assertEquals(7, rec.promptTokens());
    assertEquals(3, rec.completionTokens());
    assertEquals(1, rec.reasoningTokens());
    assertEquals("hmHello world", rec.generatedText());
    assertEquals(3_000, rec.answerNs(), "the first delta of the answer");
  }

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
    assertEquals("in-band error after 1 tokens: oom", rec.error());
    assertEquals(Kind.ERROR, new StreamRecorder("y").onEvent("{\"data\":{\"object\":\"error\",\"message\":\"old\"}}"));
  }

  @Test
  void aNewResponseIdMeansTheStreamWasSentTwice() {
    StreamRecorder r = new StreamRecorder("x");
    r.onEvent(chunk("c1", "a", null));
    assertEquals(Kind.RECONNECT, r.onEvent(chunk("c2", "a", null)));
    RequestRecord rec = r.toRecord("p", "c001", 1, 7, 2, null);
    assertFalse(rec.success());
    assertEquals("SSE reconnect (request sent twice)", rec.error());
  }

  @Test
  void gatlingsFailuresAreToldApartByWhatTheStreamSawBeforeThem() {
    long s = 1_000_000_000L;
    StreamRecorder stalled = new StreamRecorder("a");
    stalled.onEvent(chunk("c1", "a", null));
    stalled.markFailed(System.nanoTime() + 10 * s, 10); // nothing for the whole 10 s await
    assertTrue(stalled.toRecord("p", "c001", 1, 7, 2, null).error().matches("no bytes for 10\\.0 s \\(timeout\\)"));
    StreamRecorder closed = new StreamRecorder("b");
    closed.onEvent(chunk("c1", "a", null));
    closed.onEvent(chunk("c1", "b", null));
    closed.markFailed(System.nanoTime(), 600);
    assertEquals("connection closed after 2 tokens", closed.toRecord("p", "c001", 1, 7, 2, null).error());
    StreamRecorder none = new StreamRecorder("c");
    none.markFailed(System.nanoTime(), 600);
    assertEquals(FailureKinds.NO_ANSWER, none.toRecord("p", "c001", 1, 7, 2, null).error());
    assertEquals("HTTP 429 (the server's message is not read by Gatling's SSE client)",
        FailureKinds.fromGatling("Server returned http response with code 429"));
    assertEquals("HTTP 429", FailureKinds.kindOf(FailureKinds.fromGatling("Server returned http response with code 429")));
    assertEquals("timeout", FailureKinds.kindOf("no bytes for 10.0 s (timeout)"));
    assertEquals("timeout", FailureKinds.kindOf(FailureKinds.slow(600, 1500)));
    assertEquals("connection refused", FailureKinds.kindOf(FailureKinds.fromGatling("finishConnect(..) failed: Connection refused")));
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

  static String chat(String id, String delta, String finish) {
    return "{\"data\":{\"id\":\"" + id + "\",\"choices\":[{\"index\":0,\"delta\":" + delta
        + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}}";
  }

  /** The record the recorder makes must equal decoding every whole event, whatever it kept compact. */
  @Test
  void compactTokenChunksDecodeExactlyAsWholeEvents() {
    String[] events = {
        chat("c1", "{\"role\":\"assistant\",\"content\":\"\"}", null), // a role chunk comes first
        chunk("c1", "plain", null),
        chunk("c1", "", null),
        chunk("c1", "say \\\"hi\\\"", null), // an escaped quote inside the text
        chunk("c1", "back\\\\slash \\n \\u00e9 \\u20ac", null),
        chunk("c1", "\\\"text\\\":\\\"fake\\\"", null), // a field name inside the text
        chat("c1", "{\"content\":\"é ü\"}", null),
        chat("c1", "{\"reasoning_content\":\"think\"}", null), // thinking alone: compact too
        chat("c1", "{\"reasoning\":\"more\",\"content\":\"x\"}", null), // two text fields: kept whole
        chunk("c1", "last", "length"),
        USAGE,
        DONE};
    StreamRecorder r = new StreamRecorder("x");
    StringBuilder expected = new StringBuilder();
    int choices = 0;
    int compact = 0;
    for (String e : events) {
      r.onEvent(e);
      llmbench.openai.StreamChunk c = llmbench.openai.StreamChunk.parse(e);
      if (c.hasChoices()) {
        choices++;
        expected.append(c.reasoning()).append(c.text()); // as vLLM keeps a generated text: thinking, then answer
      }
      compact += StreamRecorder.plainTokenField(e) >= 0 ? 1 : 0;
    }
    RequestRecord rec = r.toRecord("p", "c001", 1, 7, 2, null);
    assertEquals(expected.toString(), rec.generatedText());
    assertTrue(rec.generatedText().contains("say \"hi\"") && rec.generatedText().contains("\u00e9 \u20ac"));
    assertEquals(choices, rec.chunkNs().length);
    assertEquals(2, rec.completionTokens());
    assertTrue(rec.success());
    assertEquals(8, compact, "plain token chunks (one text field, no finish) are kept compact");
    assertEquals("thinkmore", rec.reasoningText());
    assertEquals(2, rec.reasoningChunks());
  }

  @Test
  void anythingUnusualIsKeptWhole() {
    assertEquals(-1, StreamRecorder.plainTokenField(chunk("c1", "a", "stop")));
    assertEquals(-1, StreamRecorder.plainTokenField(USAGE));
    assertEquals(-1, StreamRecorder.plainTokenField(
        "{\"data\":{\"choices\":[{\"text\":\"a\",\"finish_reason\":null},{\"text\":\"b\",\"finish_reason\":null}]}}"));
    assertEquals(-1, StreamRecorder.plainTokenField(
        "{\"data\":{\"choices\":[{\"delta\":{\"content\":\"a\",\"reasoning\":\"b\"},\"finish_reason\":null}]}}"));
    String plain = chunk("c1", "a", null);
    assertEquals("a", StreamRecorder.fieldValue(plain, StreamRecorder.plainTokenField(plain)));
  }

  /** Thinking (vLLM's reasoning, SGLang's reasoning_content beside a null content) and usage on every chunk stay compact. */
  @Test
  void thinkingAndPerChunkUsageStayCompact() {
    String vllm = "{\"data\":{\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"hm\"},\"finish_reason\":null}],"
        + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}}}";
    assertEquals(2, StreamRecorder.plainTokenField(vllm));
    assertEquals("hm", StreamRecorder.fieldValue(vllm, 2));
    assertEquals(3, StreamRecorder.usageTokens(vllm));
    String sglang = "{\"data\":{\"choices\":[{\"index\":0,\"delta\":{\"role\":null,\"content\":null,"
        + "\"reasoning_content\":\"so\",\"tool_calls\":null},\"finish_reason\":null}]}}";
    assertEquals(3, StreamRecorder.plainTokenField(sglang));
    assertEquals(-1, StreamRecorder.usageTokens(sglang));
  }

  /** TGI (router/src/lib.rs) and LM Studio put the role on every delta: that is not a second stream. */
  @Test
  void aRoleOnEveryDeltaIsNotAReconnect() {
    StreamRecorder r = new StreamRecorder("x");
    for (String t : new String[] {"a", "b", "c"}) {
      assertEquals(Kind.CHOICES, r.onEvent(chat("", "{\"role\":\"assistant\",\"content\":\"" + t + "\"}", null)));
    }
    r.onEvent(chat("", "{\"role\":\"assistant\",\"content\":\"\"}", "length"));
    r.onEvent(DONE);
    RequestRecord rec = r.toRecord("p", "c001", 1, 7, 3, null);
    assertTrue(rec.success(), rec.error());
    assertEquals("abc", rec.generatedText());
  }

  @Test
  void aRoleChunkAfterContentChunksIsAStreamSentAgain() {
    StreamRecorder r = new StreamRecorder("x");
    r.onEvent(chat("c1", "{\"role\":\"assistant\",\"content\":\"\"}", null));
    r.onEvent(chat("c1", "{\"content\":\"a\"}", null));
    assertEquals(Kind.RECONNECT, r.onEvent(chat("c1", "{\"role\":\"assistant\",\"content\":\"\"}", null)));
    assertFalse(r.toRecord("p", "c001", 1, 7, 2, null).success());
  }

  private static RequestRecord record(String... events) {
    StreamRecorder r = new StreamRecorder("x");
    for (String e : events) {
      r.onEvent(e);
    }
    return r.toRecord("p", "c001", 1, 7, 3, null);
  }

  private static final String THINK = chat("c1", "{\"reasoning\":\"hm\"}", null);
  private static final String ANSWER = chat("c1", "{\"content\":\"ok\"}", null);

  /** Thinking tokens: the usage's count; else one token per chunk; else nothing the stream can tell (-1). */
  @Test
  void reasoningTokensAreExactWhereTheStreamTellsThem() {
    String last = chat("c1", "{\"content\":\"!\"}", "length");
    String usage = "{\"data\":{\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3,"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":1}}}}";
    RequestRecord told = record(THINK, ANSWER, last, usage, DONE);
    assertEquals(1, told.reasoningTokens());
    assertEquals(told.chunkNs()[1], told.answerNs());
    assertEquals(told.chunkNs()[0], told.reasoningEndNs());
    String plainUsage = "{\"data\":{\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3}}}";
    assertEquals(1, record(THINK, ANSWER, last, plainUsage, DONE).reasoningTokens(), "3 chunks, 3 tokens: one each");
    String fourTokens = "{\"data\":{\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":4}}}";
    assertEquals(-1, record(THINK, ANSWER, last, fourTokens, DONE).reasoningTokens(), "4 tokens in 3 chunks: unknown");
    assertEquals(0, record(ANSWER, last, plainUsage, DONE).answerNs(), "no thinking: no answer time of its own");
  }

  /** Usage on every chunk gives each chunk's tokens, and the thinking's. */
  @Test
  void usageOnEveryChunkGivesEachChunksTokens() {
    String think = "{\"data\":{\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"a b c\"},\"finish_reason\":null}],"
        + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3}}}";
    String answer = "{\"data\":{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"d e\"},\"finish_reason\":null}],"
        + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":5}}}";
    String last = "{\"data\":{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"f\"},\"finish_reason\":\"length\"}],"
        + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":6}}}";
    RequestRecord r = record(think, answer, last, DONE);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {3, 2, 1}, r.chunkTokens());
    assertEquals(3, r.reasoningTokens());
    assertEquals(6, r.completionTokens(), "the last chunk's count stands for the usage");
  }
}
