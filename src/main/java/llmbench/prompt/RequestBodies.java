package llmbench.prompt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/**
 * Request bodies as vLLM's benchmark client sends them (vllm/benchmarks/lib/endpoint_request_func.py):
 * streamed, usage requested, EOS ignored so that the output reaches max_tokens. Serialized once,
 * before the level starts.
 */
public final class RequestBodies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RequestBodies() {}

  public static byte[] completions(String model, String prompt, int maxTokens) {
    ObjectNode b = common(model, maxTokens);
    b.put("prompt", prompt);
    return bytes(b);
  }

  /** One user message: the text, then the image (as a data URL) when one is given. */
  public static byte[] chat(String model, String text, String imageDataUrl, int maxTokens) {
    ObjectNode b = common(model, maxTokens);
    b.put("max_completion_tokens", maxTokens);
    ObjectNode msg = b.putArray("messages").addObject().put("role", "user");
    if (imageDataUrl == null) {
      msg.put("content", text);
    } else {
      ArrayNode content = msg.putArray("content");
      content.addObject().put("type", "text").put("text", text);
      content.addObject().put("type", "image_url").putObject("image_url").put("url", imageDataUrl);
    }
    return bytes(b);
  }

  /** A conversation as a dataset gives it (OpenAI {@code messages}, sent as they are). */
  public static byte[] chatMessages(String model, com.fasterxml.jackson.databind.JsonNode messages, int maxTokens) {
    ObjectNode b = common(model, maxTokens);
    b.put("max_completion_tokens", maxTokens);
    b.set("messages", messages.deepCopy());
    return bytes(b);
  }

  /** A session's turn: the conversation so far, then the new user message. */
  public static byte[] session(String model, ArrayNode history, String userText, int maxTokens) {
    ObjectNode b = common(model, maxTokens);
    b.put("max_completion_tokens", maxTokens);
    ArrayNode messages = b.putArray("messages");
    messages.addAll(history);
    messages.addObject().put("role", "user").put("content", userText);
    return bytes(b);
  }

  private static ObjectNode common(String model, int maxTokens) {
    ObjectNode b = JSON.createObjectNode();
    b.put("model", model);
    b.put("max_tokens", maxTokens);
    b.put("temperature", 0.0);
    b.put("stream", true);
    b.putObject("stream_options").put("include_usage", true);
    b.put("ignore_eos", true);
    return b;
  }

  private static byte[] bytes(ObjectNode b) {
    try {
      return JSON.writeValueAsBytes(b);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
