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
