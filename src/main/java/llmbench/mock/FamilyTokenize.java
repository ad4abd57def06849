package llmbench.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import llmbench.prompt.TextTokenizer;

/**
 * How each server family counts a prompt's tokens (FIELD_NOTES §23), as the mock plays it: vLLM's
 * {@code /tokenize} (a prompt, or {@code messages} with the chat template), SGLang's {@code /v1/tokenize}
 * too; llama.cpp's {@code /apply-template} (the templated text) and {@code /tokenize} of {@code content};
 * TGI's {@code /chat_tokenize}. A family's server does not answer another's shape.
 */
final class FamilyTokenize {
  private FamilyTokenize() {}

  static ObjectNode answer(ChunkShape family, String path, JsonNode body, TextTokenizer tok, int maxModelLen) {
    switch (family) {
      case LLAMACPP -> {
        if (path.equals("/apply-template")) {
          requireMessages(body);
          return MockServer.JSON.createObjectNode().put("prompt", ChatTemplate.render(body.get("messages"), body.get("tools")));
        }
        if (path.equals("/tokenize")) {
          if (!body.path("content").isTextual()) {
            throw ApiError.badRequest("\"content\" must be provided");
          }
          // parse_special (default true): the template's markers are special tokens
          return ids(MockServer.JSON.createObjectNode(), tok.encode(body.get("content").asText(),
              body.path("add_special").asBoolean(false)));
        }
      }
      case TGI -> {
        if (path.equals("/chat_tokenize")) {
          requireMessages(body);
          String text = ChatTemplate.render(body.get("messages"), body.get("tools"));
          ObjectNode out = MockServer.JSON.createObjectNode();
          ArrayNode spans = out.putArray("tokenize_response");
          for (long id : tok.encode(text, false)) {
            spans.addObject().put("id", id).put("text", tok.decode(new long[] {id})).put("start", 0).put("stop", 0);
          }
          out.put("templated_text", text);
          return out;
        }
        if (path.equals("/tokenize")) {
          if (!body.path("inputs").isTextual()) {
            throw new ApiError(422, "Unprocessable", null, "Failed to deserialize the JSON body: missing field `inputs`");
          }
          ArrayNode out = MockServer.JSON.createArrayNode();
          for (long id : tok.encode(body.get("inputs").asText(), true)) {
            out.addObject().put("id", id);
          }
          return MockServer.JSON.createObjectNode().set("tokens", out);
        }
      }
      case SGLANG -> {
        if (path.equals("/tokenize") || path.equals("/v1/tokenize")) {
          return vllm(body, tok, maxModelLen);
        }
      }
      default -> {
        if (path.equals("/tokenize")) {
          return vllm(body, tok, maxModelLen);
        }
      }
    }
    throw new ApiError(404, "NotFoundError", null, "Not Found");
  }

  /** vLLM's {@code /tokenize}: a prompt (special tokens added), or {@code messages} through the template. */
  private static ObjectNode vllm(JsonNode body, TextTokenizer tok, int maxModelLen) {
    long[] ids = body.has("messages")
        ? tok.encode(ChatTemplate.render(body.get("messages"), body.get("tools")), body.path("add_special_tokens").asBoolean(false))
        : tok.encode(body.path("prompt").asText(""), body.path("add_special_tokens").asBoolean(true));
    ObjectNode out = MockServer.JSON.createObjectNode().put("count", ids.length).put("max_model_len", maxModelLen);
    ids(out, ids).putNull("token_strs");
    return out;
  }

  private static ObjectNode ids(ObjectNode out, long[] ids) {
    ArrayNode tokens = out.putArray("tokens");
    for (long id : ids) {
      tokens.add(id);
    }
    return out;
  }

  private static void requireMessages(JsonNode body) {
    if (!body.path("messages").isArray() || body.get("messages").isEmpty()) {
      throw ApiError.badRequest("'messages' must be a non-empty list");
    }
  }
}
