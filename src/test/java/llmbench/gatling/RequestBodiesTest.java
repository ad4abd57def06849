package llmbench.gatling;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static llmbench.gatling.LlmDsl.llm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.javaapi.core.Session;
import io.netty.channel.DefaultEventLoop;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import llmbench.openai.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The JSON the DSL's requests send, from values, EL and session functions, checked field by field. */
class RequestBodiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DefaultEventLoop LOOP = new DefaultEventLoop();

  @AfterAll
  static void stop() {
    LOOP.shutdownGracefully();
  }

  private static Session session(Map<String, Object> attributes) {
    Session s = new Session(io.gatling.core.session.Session$.MODULE$.apply("s", 1L, LOOP));
    for (Map.Entry<String, Object> e : attributes.entrySet()) {
      s = s.set(e.getKey(), e.getValue());
    }
    return s;
  }

  private static JsonNode body(LlmRequestBuilder<?> b, Session s) throws Exception {
    return JSON.readTree(b.request().body().body(s, "the-default-model"));
  }

  @Test
  void aCompletionIsStreamedWithUsageAndAPromptThatHoldsElIsSentAsItIs() throws Exception {
    JsonNode b = body(llm("ask").completion("#{prompt}").maxTokens("#{n}").ignoreEos().minTokens(3),
        session(Map.of("prompt", "tokens #{like} these", "n", 150)));
    assertEquals("the-default-model", b.get("model").asText());
    assertEquals("tokens #{like} these", b.get("prompt").asText(), "a value is never read as EL again");
    assertEquals(150, b.get("max_tokens").asInt());
    assertEquals(3, b.get("min_tokens").asInt());
    assertTrue(b.get("stream").asBoolean());
    assertTrue(b.get("stream_options").get("include_usage").asBoolean());
    assertTrue(b.get("ignore_eos").asBoolean());
    assertFalse(b.has("temperature"), "the server's default unless asked");
    assertEquals("/v1/completions", llm("ask").completion("x").request().path().apply(session(Map.of())));
  }

  @Test
  void anAgentsNextTurnSendsTheSavedAnswerWithItsToolCallsAndTheToolsResultForThatCall() throws Exception {
    Answer plan = new Answer(200, "", "", List.of(new Answer.ToolCall("call-7", "get_weather", "{\"city\":\"Lima\"}",
        Map.of("city", "Lima"))), "tool_calls", 20, 6, null, null);
    String tools = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{}}}]";
    JsonNode b = body(llm("answer").chat().system("Be brief.").user("#{question}").tools(tools).assistant("#{plan}")
        .tool("#{forecast}").model("#{adapter}").maxTokens(60),
        session(Map.of("question", "What to wear?", "plan", plan, "forecast", "rain, 9 °C", "adapter", "lora-a")));
    assertEquals("lora-a", b.get("model").asText());
    JsonNode m = b.get("messages");
    assertEquals(List.of("system", "user", "assistant", "tool"), List.of(m.get(0).get("role").asText(),
        m.get(1).get("role").asText(), m.get(2).get("role").asText(), m.get(3).get("role").asText()));
    assertTrue(m.get(2).get("content").isNull(), "an assistant message of tool calls only has no text");
    JsonNode call = m.get(2).get("tool_calls").get(0);
    assertEquals("call-7", call.get("id").asText());
    assertEquals("get_weather", call.get("function").get("name").asText());
    assertEquals("{\"city\":\"Lima\"}", call.get("function").get("arguments").asText());
    assertEquals("call-7", m.get(3).get("tool_call_id").asText(), "the tool message answers that call");
    assertEquals("rain, 9 °C", m.get(3).get("content").asText());
    assertEquals("get_weather", b.get("tools").get(0).get("function").get("name").asText());
    assertEquals(60, b.get("max_tokens").asInt());
    assertEquals(60, b.get("max_completion_tokens").asInt());
  }

  @Test
  void aToolResultWithNoCallToAnswerIsAnErrorNamingWhy() {
    var request = llm("answer").chat().user("hi").assistant("plain words").tool("result").request();
    Exception e = assertThrows(IllegalArgumentException.class, () -> request.body().body(session(Map.of()), "m"));
    assertTrue(e.getMessage().contains("tool(...) answers a tool call"), e.getMessage());
  }

  @Test
  void imagesGoWithTheirUserMessageInOrder() throws Exception {
    JsonNode b = body(llm("look").chat().user("Describe these.").image("#{a}").image("https://x/b.png"),
        session(Map.of("a", "data:image/png;base64,AAAA")));
    JsonNode content = b.get("messages").get(0).get("content");
    assertEquals("text", content.get(0).get("type").asText());
    assertEquals("data:image/png;base64,AAAA", content.get(1).get("image_url").get("url").asText());
    assertEquals("https://x/b.png", content.get(2).get("image_url").get("url").asText());
    assertThrows(IllegalArgumentException.class, () -> llm("x").chat().system("s").image("u"));
  }

  @Test
  void extraFieldsGoAsGivenButNeverOverAFieldTheBuilderSets() throws Exception {
    JsonNode b = body(llm("ask").chat().user("hi").extraBody("{\"chat_template_kwargs\": {\"enable_thinking\": false}}")
        .extraBody(Map.of("top_p", 0.9)), session(Map.of()));
    assertFalse(b.get("chat_template_kwargs").get("enable_thinking").asBoolean());
    assertEquals(0.9, b.get("top_p").asDouble());
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> llm("ask").completion("x").extraBody(Map.of("max_tokens", 9)));
    assertEquals("llm(\"ask\"): extraBody sets \"max_tokens\", which maxTokens(...) sets: use that", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> llm("ask").chat().user("x").extraBody(Map.of("messages", List.of())));
  }

  @Test
  void aRawBodyIsStreamedWithUsageAndOneThatRefusesToStreamIsAnError() throws Exception {
    JsonNode b = body(llm("raw").post("/v1/responses").body(ByteArrayBody(s -> ("{\"input\": \"" + s.getString("q") + "\"}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8))), session(Map.of("q", "hi")));
    assertEquals("hi", b.get("input").asText());
    assertTrue(b.get("stream").asBoolean());
    assertFalse(b.has("stream_options"), "the Responses API puts its usage in response.completed, and takes no options");
    assertEquals("the-default-model", b.get("model").asText());
    JsonNode other = body(llm("raw").post("/v1/other").body(ByteArrayBody(s -> "{\"prompt\": \"x\"}".getBytes())),
        session(Map.of()));
    assertTrue(other.get("stream").asBoolean() && other.get("stream_options").get("include_usage").asBoolean());
    JsonNode embed = body(llm("raw").post("/v1/embeddings").body(ByteArrayBody(s -> "{\"input\": [\"x\"]}".getBytes())),
        session(Map.of()));
    assertEquals(JSON.readTree("{\"input\": [\"x\"], \"model\": \"the-default-model\"}"), embed, "a pooling answer is one JSON body");
    var noStream = llm("raw").chat().body(ByteArrayBody(s -> "{\"stream\": false}".getBytes())).request();
    Exception e = assertThrows(IllegalArgumentException.class, () -> noStream.body().body(session(Map.of()), "m"));
    assertTrue(e.getMessage().contains("\"stream\": false"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> llm("raw").chat().user("x").body(ByteArrayBody(s -> new byte[0])).request(),
        "a whole body and messages: one of them would be ignored");
    assertThrows(IllegalArgumentException.class, () -> llm("raw").post("/v1/x").request(), "post(...) needs a body");
  }

  @Test
  void aMissingSessionValueIsAnErrorInGatlingsWords() {
    var request = llm("ask").completion("#{prompt}").request();
    Exception e = assertThrows(IllegalArgumentException.class, () -> request.body().body(session(Map.of()), "m"));
    assertTrue(e.getMessage().contains("prompt"), e.getMessage());
  }

  @Test
  void theProtocolRefusesWhatCannotWork() {
    assertThrows(IllegalArgumentException.class, () -> llm.baseUrl("localhost:8000"));
    assertThrows(IllegalArgumentException.class, () -> llm.requestTimeout(Duration.ZERO));
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> llm.baseUrl("http://h:1/v1/").requestTimeout(Duration.ofSeconds(5)).headersTimeout(Duration.ofSeconds(9)).protocol());
    assertEquals("llm.headersTimeout must be at most llm.requestTimeout (PT5S)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> llm.protocol(), "no server");
    var p = (llmbench.gatling.llm.LlmProtocol) llm.baseUrl("http://h:1/v1/").apiKey("sk-secret").protocol();
    assertEquals("http://h:1", p.settings().server().toString(), "the /v1 is the paths'");
    assertFalse(llm.apiKey("sk-secret").toString().contains("sk-secret"), "the key stays out of log lines");
  }
}
