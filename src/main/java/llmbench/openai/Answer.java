package llmbench.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A streamed answer put together once it ended: what a check sees and what {@code saveAnswerAs} keeps
 * in the session. Gatling's EL reads it as a record ({@code #{plan.text}}, {@code
 * #{plan.toolCalls(0).arguments.city}}); {@code #{plan}} alone is its text.
 *
 * @param status the HTTP status, 0 when none came
 * @param text the answer (thinking left out)
 * @param reasoning the thinking, "" for none
 * @param finishReason the last finish reason the stream gave, or null
 * @param promptTokens the usage's, -1 when the stream gave none
 * @param completionTokens the usage's, -1 when the stream gave none
 * @param finalChunk the last chunk with a choice, with the stream's usage when that chunk had none; null when none
 * @param error why the request failed, null when it did not
 */
public record Answer(int status, String text, String reasoning, List<ToolCall> toolCalls, String finishReason,
    int promptTokens, int completionTokens, JsonNode finalChunk, String error) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public Answer {
    toolCalls = List.copyOf(toolCalls);
  }

  /**
   * A function the model asked to call.
   *
   * @param arguments the arguments parsed (empty when they are not a JSON object); {@code argumentsJson} as sent
   */
  public record ToolCall(String id, String name, String argumentsJson, Map<String, Object> arguments) {
    @Override
    public String toString() {
      return name + argumentsJson;
    }
  }

  /** EL's {@code #{answer}}: the answer's text. */
  @Override
  public String toString() {
    return text;
  }

  /** The answer as the assistant message of a conversation's next request (OpenAI's chat shape). */
  public ObjectNode assistantMessage() {
    ObjectNode m = JSON.createObjectNode().put("role", "assistant");
    if (toolCalls.isEmpty()) {
      m.put("content", text);
      return m;
    }
    if (text.isEmpty()) {
      m.putNull("content");
    } else {
      m.put("content", text);
    }
    var calls = m.putArray("tool_calls");
    for (ToolCall c : toolCalls) {
      calls.addObject().put("id", c.id()).put("type", "function").putObject("function")
          .put("name", c.name()).put("arguments", c.argumentsJson());
    }
    return m;
  }

  /** Puts an answer together from its events as they came, SSE data payloads in order. */
  public static final class Builder {
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final Map<Integer, String[]> calls = new TreeMap<>(); // index -> id, name, arguments so far
    private String finishReason;
    private int prompt = -1;
    private int completion = -1;
    private JsonNode finalChunk;
    private JsonNode usage;

    /** A plain token's text (the recorder kept only that of an ordinary chunk). */
    public Builder token(String piece, boolean thinking) {
      (thinking ? reasoning : text).append(piece);
      return this;
    }

    /** A whole chunk, as JSON text. */
    public Builder chunk(String data) {
      JsonNode c;
      try {
        c = JSON.readTree(data);
      } catch (java.io.IOException e) {
        return this; // [DONE] or a broken chunk: the record says what went wrong
      }
      if (c == null || !c.isObject()) {
        return this;
      }
      JsonNode u = c.path("usage");
      if (u.isObject()) {
        usage = u;
        prompt = u.path("prompt_tokens").asInt(prompt);
        completion = u.path("completion_tokens").asInt(completion);
      }
      JsonNode choice = c.path("choices").path(0);
      if (!choice.isObject()) {
        return this;
      }
      finalChunk = c;
      if (choice.hasNonNull("finish_reason")) {
        finishReason = choice.get("finish_reason").asText();
      }
      text.append(choice.path("text").asText(""));
      JsonNode delta = choice.path("delta");
      text.append(delta.path("content").asText(""));
      reasoning.append(delta.path("reasoning").asText("")).append(delta.path("reasoning_content").asText(""));
      for (JsonNode call : delta.path("tool_calls")) {
        String[] c3 = calls.computeIfAbsent(call.path("index").asInt(calls.size()), k -> new String[] {null, null, ""});
        if (call.hasNonNull("id")) {
          c3[0] = call.get("id").asText();
        }
        JsonNode f = call.path("function");
        if (f.hasNonNull("name")) {
          c3[1] = f.get("name").asText();
        }
        c3[2] += f.path("arguments").asText("");
      }
      return this;
    }

    public Answer build(int status, String error) {
      List<ToolCall> tools = new ArrayList<>();
      calls.forEach((i, c) -> tools.add(new ToolCall(c[0], c[1], c[2], arguments(c[2]))));
      JsonNode last = finalChunk;
      if (last != null && !last.path("usage").isObject() && usage != null) {
        last = ((ObjectNode) last.deepCopy()).set("usage", usage);
      }
      return new Answer(status, text.toString(), reasoning.toString(), tools, finishReason, prompt, completion, last,
          error);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> arguments(String json) {
      try {
        JsonNode n = JSON.readTree(json);
        return n != null && n.isObject() ? JSON.convertValue(n, LinkedHashMap.class) : Map.of();
      } catch (java.io.IOException e) {
        return Map.of();
      }
    }
  }
}
