package llmbench.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An answer put together from a stream's events, as vLLM, SGLang and OpenAI send them. */
class AnswerTest {
  @Test
  void textThinkingToolCallsFinishAndUsageComeTogether() {
    Answer a = new Answer.Builder()
        .chunk("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}")
        .chunk("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"hmm\"},\"finish_reason\":null}]}")
        .token("Let me ", false)
        .chunk("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"t1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"ci\"}}]},\"finish_reason\":null}]}")
        .chunk("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
            + "\"ty\\\": \\\"Lima\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}")
        .chunk("{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":9}}")
        .chunk("[DONE]")
        .build(200, null);
    assertEquals("Let me ", a.text());
    assertEquals("hmm", a.reasoning());
    assertEquals("tool_calls", a.finishReason());
    assertEquals(30, a.promptTokens());
    assertEquals(9, a.completionTokens());
    assertEquals(1, a.toolCalls().size());
    Answer.ToolCall c = a.toolCalls().get(0);
    assertEquals("t1", c.id());
    assertEquals("get_weather", c.name());
    assertEquals("{\"city\": \"Lima\"}", c.argumentsJson());
    assertEquals(Map.of("city", "Lima"), c.arguments());
    assertEquals("tool_calls", a.finalChunk().at("/choices/0/finish_reason").asText());
    assertEquals(9, a.finalChunk().at("/usage/completion_tokens").asInt(), "the final chunk carries the stream's usage");
    assertEquals("Let me ", a.toString(), "EL's #{answer} is the text");
    assertEquals("{\"role\":\"assistant\",\"content\":\"Let me \",\"tool_calls\":[{\"id\":\"t1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Lima\\\"}\"}}]}",
        a.assistantMessage().toString());
  }

  @Test
  void argumentsThatAreNotAnObjectAreKeptAsSentAndABrokenChunkIsSkipped() {
    Answer a = new Answer.Builder()
        .chunk("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"t\",\"function\":{\"name\":\"f\","
            + "\"arguments\":\"not json\"}}]},\"finish_reason\":\"tool_calls\"}]}")
        .chunk("{broken")
        .build(200, null);
    assertEquals("not json", a.toolCalls().get(0).argumentsJson());
    assertTrue(a.toolCalls().get(0).arguments().isEmpty());
    assertEquals(-1, a.completionTokens(), "no usage came");
    assertEquals(List.of(), new Answer.Builder().build(0, "refused").toolCalls());
  }
}
