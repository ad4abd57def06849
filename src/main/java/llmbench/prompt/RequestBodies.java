package llmbench.prompt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/**
 * Request bodies as vLLM's benchmark client sends them (vllm/benchmarks/lib/endpoint_request_func.py):
 * streamed, usage requested, EOS ignored so that the output reaches max_tokens; with {@code min_tokens}
 * too where the server takes it, and usage on every chunk where the chunks hold several tokens.
 * Serialized once, before the level starts.
 *
 * @param minTokens send {@code min_tokens = max_tokens}: stop ids that ignore_eos does not lift (gpt-oss's
 *     {@code <|return|>}) cannot end the output early (FIELD_NOTES §19)
 * @param chunkUsage ask for usage on every chunk ({@code continuous_usage_stats}): the tokens each chunk
 *     holds, exactly, under speculative decoding
 * @param extra the fields every body carries beyond these ({@code --extra-body}, {@code --temperature}...)
 * @param adapters the LoRA adapters requests ask for instead of {@code model} ({@link Adapters#NONE}: none)
 */
public record RequestBodies(String model, boolean minTokens, boolean chunkUsage, BodyFields extra, Adapters adapters) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public RequestBodies(String model, boolean minTokens, boolean chunkUsage, BodyFields extra) {
    this(model, minTokens, chunkUsage, extra, Adapters.NONE);
  }

  /** vLLM's benchmark client's bodies, nothing more. */
  public static RequestBodies plain(String model) {
    return new RequestBodies(model, false, false, BodyFields.NONE);
  }

  /** The bodies of request {@code index}: asking for its LoRA adapter, when the run spreads requests over some. */
  public RequestBodies forRequest(long index) {
    return adapters.any() ? new RequestBodies(adapters.pick(index), minTokens, chunkUsage, extra, Adapters.NONE) : this;
  }

  public byte[] completions(String prompt, int maxTokens) {
    ObjectNode b = common(maxTokens);
    b.put("prompt", prompt);
    return bytes(b);
  }

  /** One user message: the text, then each image (data URLs), in order; a plain string content without images. */
  public byte[] chat(String text, java.util.List<String> imageDataUrls, int maxTokens) {
    ObjectNode b = common(maxTokens);
    b.put("max_completion_tokens", maxTokens);
    ObjectNode msg = b.putArray("messages").addObject().put("role", "user");
    if (imageDataUrls.isEmpty()) {
      msg.put("content", text);
    } else {
      ArrayNode content = msg.putArray("content");
      content.addObject().put("type", "text").put("text", text);
      for (String url : imageDataUrls) {
        content.addObject().put("type", "image_url").putObject("image_url").put("url", url);
      }
    }
    return bytes(b);
  }

  /** A conversation as a dataset gives it (OpenAI {@code messages}, sent as they are). */
  public byte[] chatMessages(com.fasterxml.jackson.databind.JsonNode messages, int maxTokens) {
    ObjectNode b = common(maxTokens);
    b.put("max_completion_tokens", maxTokens);
    b.set("messages", messages.deepCopy());
    return bytes(b);
  }

  /** A session's turn: the conversation so far, then the new user message. */
  public byte[] session(ArrayNode history, String userText, int maxTokens) {
    ObjectNode b = common(maxTokens);
    b.put("max_completion_tokens", maxTokens);
    ArrayNode messages = b.putArray("messages");
    messages.addAll(history);
    messages.addObject().put("role", "user").put("content", userText);
    return bytes(b);
  }

  /**
   * OpenAI's Responses API ({@code /v1/responses}, streamed typed events): the prompt as its {@code input},
   * {@code max_output_tokens}; no ignore_eos (the API has none), so an answer may end before it.
   */
  public byte[] responses(String input, int maxTokens) {
    ObjectNode b = JSON.createObjectNode();
    b.put("model", model);
    b.put("input", input);
    b.put("max_output_tokens", maxTokens);
    b.put("temperature", 0.0);
    b.put("stream", true);
    extra.into(b);
    return bytes(b);
  }

  /** An embeddings request of these inputs (vLLM's {@code /v1/embeddings}, as its embedding benchmark sends it). */
  public byte[] embeddings(java.util.List<String> inputs) {
    ObjectNode b = JSON.createObjectNode();
    b.put("model", model);
    ArrayNode in = b.putArray("input");
    inputs.forEach(in::add);
    b.put("encoding_format", "float");
    extra.into(b);
    return bytes(b);
  }

  /** A rerank request: the query and the documents to score against it (vLLM's {@code /v1/rerank}). */
  public byte[] rerank(String query, java.util.List<String> documents) {
    ObjectNode b = JSON.createObjectNode();
    b.put("model", model);
    b.put("query", query);
    ArrayNode docs = b.putArray("documents");
    documents.forEach(docs::add);
    extra.into(b);
    return bytes(b);
  }

  private ObjectNode common(int maxTokens) {
    ObjectNode b = JSON.createObjectNode();
    b.put("model", model);
    b.put("max_tokens", maxTokens);
    b.put("temperature", 0.0);
    b.put("stream", true);
    ObjectNode options = b.putObject("stream_options").put("include_usage", true);
    if (chunkUsage) {
      options.put("continuous_usage_stats", true);
    }
    if (!extra.shapesAnswer()) { // a schema or a tool call ends where its grammar ends: no length is forced on it
      b.put("ignore_eos", true);
      if (minTokens) {
        b.put("min_tokens", maxTokens);
      }
    }
    extra.into(b);
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
