package llmbench.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What must be known before anything is sent: that the server answers, its model id and its context
 * length. The context length comes from the first source that has it: the user's override, vLLM's
 * {@code /v1/models}, vLLM's {@code /tokenize}, SGLang's {@code /server_info}, llama.cpp's
 * {@code /props}, TGI's {@code /info}.
 */
public final class Discovery {
  public record Result(String modelId, int maxModelLen, String maxModelLenSource, List<String> tried) {}

  private Discovery() {}

  public static Result discover(ServerClient client, String modelOverride, Integer maxLenOverride) {
    ServerClient.ModelInfo info = client.model();
    String model = modelOverride != null ? modelOverride : info.id();
    List<String> tried = new ArrayList<>();
    if (maxLenOverride != null) {
      return new Result(model, maxLenOverride, "--max-model-len", tried);
    }
    if (info.maxModelLen() != null) {
      return new Result(model, info.maxModelLen(), "/v1/models max_model_len", tried);
    }
    tried.add("/v1/models (no max_model_len)");
    Integer n = client.tokenizeMaxModelLen(model);
    if (n != null) {
      return new Result(model, n, "/tokenize max_model_len", tried);
    }
    tried.add("/tokenize");
    for (String[] source : new String[][] {
        {"/server_info", "context_length"}, {"/get_server_info", "context_length"},
        {"/props", "n_ctx"}, {"/info", "max_total_tokens"}}) {
      JsonNode body = client.getJsonOrNull(source[0]);
      Integer v = body == null ? null : findInt(body, source[1]);
      if (v != null && v > 0) {
        return new Result(model, v, source[0] + " " + source[1], tried);
      }
      tried.add(source[0]);
    }
    throw new ServerClient.ServerError(0, "the server does not tell its context length (tried "
        + String.join(", ", tried) + "): pass it with --max-model-len");
  }

  /** The first integer value under {@code key} anywhere in the document (llama.cpp nests n_ctx). */
  static Integer findInt(JsonNode node, String key) {
    if (node.isObject()) {
      JsonNode v = node.get(key);
      if (v != null && v.canConvertToInt() && v.isNumber()) {
        return v.asInt();
      }
      for (JsonNode child : node) {
        Integer found = findInt(child, key);
        if (found != null) {
          return found;
        }
      }
    } else if (node.isArray()) {
      for (JsonNode child : node) {
        Integer found = findInt(child, key);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
