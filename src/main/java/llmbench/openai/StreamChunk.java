package llmbench.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * One SSE event of an OpenAI-compatible stream, decoded after the fact (never on the timed path).
 * Reads the completions ({@code choices[0].text}) and chat ({@code delta.content}) shapes, thinking in
 * vLLM's {@code delta.reasoning} and SGLang's and llama.cpp's {@code delta.reasoning_content} (FIELD_NOTES
 * §19), usage on any chunk with its reasoning tokens ({@code completion_tokens_details.reasoning_tokens},
 * SGLang's {@code reasoning_tokens}), and both error shapes (FIELD_NOTES §3).
 *
 * @param text the answer's text (completions: all of it)
 * @param reasoning the thinking text, "" for none
 * @param reasoningTokens from the usage, -1 when it does not say
 */
public record StreamChunk(boolean done, boolean hasChoices, String text, String reasoning, String finishReason,
    int promptTokens, int completionTokens, int reasoningTokens, String error, String id) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param event Gatling's JSON view of an SSE event ({@code {"data":...}}) or a bare data payload
   */
  public static StreamChunk parse(String event) {
    JsonNode root;
    try {
      root = JSON.readTree(event);
    } catch (IOException e) {
      if (event.trim().endsWith("[DONE]") || event.trim().endsWith("[DONE]}")) {
        return new StreamChunk(true, false, "", "", null, -1, -1, -1, null, null);
      }
      return new StreamChunk(false, false, "", "", null, -1, -1, -1, "unparseable SSE event: " + abbreviate(event), null);
    }
    if ("list".equals(root.path("object").asText()) || root.has("results") && root.has("usage")) {
      return pooling(root); // an embeddings list's own "data" is not Gatling's view of an SSE event
    }
    JsonNode data = root.has("data") && !root.has("choices") ? root.get("data") : root;
    if (data.isTextual()) {
      String s = data.asText().trim();
      if (s.equals("[DONE]")) {
        return new StreamChunk(true, false, "", "", null, -1, -1, -1, null, null);
      }
      try {
        data = JSON.readTree(s);
      } catch (IOException e) {
        return new StreamChunk(false, false, "", "", null, -1, -1, -1, "unparseable SSE data: " + abbreviate(s), null);
      }
    }
    String type = data.path("type").asText("");
    if (type.startsWith("response.")) {
      return responsesEvent(type, data);
    }
    String error = errorOf(data);
    int prompt = -1;
    int completion = -1;
    int reasoningTokens = -1;
    JsonNode usage = data.path("usage");
    if (usage.isObject()) {
      prompt = usage.path("prompt_tokens").asInt(-1);
      completion = usage.path("completion_tokens").asInt(-1);
      JsonNode r = usage.path("completion_tokens_details").path("reasoning_tokens");
      reasoningTokens = r.isNumber() ? r.asInt() : usage.path("reasoning_tokens").isNumber()
          ? usage.get("reasoning_tokens").asInt() : -1;
    }
    JsonNode choices = data.path("choices");
    boolean hasChoices = choices.isArray() && !choices.isEmpty();
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    String finish = null;
    if (hasChoices) {
      JsonNode c = choices.get(0);
      text.append(c.path("text").asText(""));
      JsonNode delta = c.path("delta");
      reasoning.append(delta.path("reasoning").asText(""));
      reasoning.append(delta.path("reasoning_content").asText(""));
      text.append(delta.path("content").asText(""));
      if (c.hasNonNull("finish_reason")) {
        finish = c.get("finish_reason").asText();
      }
    }
    return new StreamChunk(false, hasChoices, text.toString(), reasoning.toString(), finish, prompt, completion,
        reasoningTokens, error, data.path("id").asText(null));
  }

  /**
   * An event of OpenAI's Responses API (FIELD_NOTES §3): a text or reasoning delta is a chunk of tokens;
   * {@code response.completed} (or {@code incomplete}) ends the answer with its usage; {@code
   * response.failed} and {@code error} fail it; the rest (created, items opening and closing) carry nothing.
   */
  private static StreamChunk responsesEvent(String type, JsonNode data) {
    return switch (type) {
      case "response.output_text.delta" -> new StreamChunk(false, true, data.path("delta").asText(""), "", null, -1, -1,
          -1, null, null);
      case "response.reasoning_text.delta", "response.reasoning_summary_text.delta" -> new StreamChunk(false, true, "",
          data.path("delta").asText(""), null, -1, -1, -1, null, null);
      case "response.completed", "response.incomplete" -> {
        JsonNode u = data.path("response").path("usage");
        JsonNode r = u.path("output_tokens_details").path("reasoning_tokens");
        yield new StreamChunk(true, false, "", "", type.endsWith("completed") ? "stop" : "length",
            u.path("input_tokens").asInt(-1), u.path("output_tokens").asInt(-1), r.isNumber() ? r.asInt() : -1, null,
            data.path("response").path("id").asText(null));
      }
      case "response.failed", "response.error", "error" -> new StreamChunk(false, false, "", "", null, -1, -1, -1,
          data.path("response").path("error").path("message").asText(data.path("message").asText("response failed")),
          null);
      default -> new StreamChunk(false, false, "", "", null, -1, -1, -1, null, null);
    };
  }

  /**
   * A pooling endpoint's whole answer (embeddings' {@code data}, rerank's {@code results}): one "chunk"
   * that ends the request, its input tokens from the usage ({@code prompt_tokens}, else rerank's {@code
   * total_tokens}); nothing generated, and the vectors are not kept as text.
   */
  private static StreamChunk pooling(JsonNode data) {
    JsonNode items = data.has("data") ? data.get("data") : data.get("results");
    JsonNode u = data.path("usage");
    int prompt = u.path("prompt_tokens").asInt(u.path("total_tokens").asInt(-1));
    return new StreamChunk(false, items.isArray() && !items.isEmpty(), "", "", "stop", prompt, 0, -1, errorOf(data),
        data.path("id").asText(null));
  }

  /** vLLM's {@code {"error": {...}}} or the older flat {@code {"object": "error", ...}}. */
  public static String errorOf(JsonNode data) {
    JsonNode e = data.get("error");
    if (e != null && !e.isNull()) {
      return e.isObject() ? e.path("message").asText(e.toString()) : e.asText();
    }
    if ("error".equals(data.path("object").asText())) {
      return data.path("message").asText("error");
    }
    return null;
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
