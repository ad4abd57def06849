package llmbench.mock;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The mock's chat template: ChatML (Qwen's and many others'), so that chat prompts carry the role
 * tokens a real server adds; tools, tool calls and tool results as Qwen's template writes them
 * ({@code <tools>}, {@code <tool_call>}, {@code <tool_response>}). Image parts are counted separately
 * by {@link ImageTokens}.
 */
final class ChatTemplate {
  private ChatTemplate() {}

  /** Renders the text of all messages; image parts are skipped (their tokens are added apart). */
  static String render(JsonNode messages) {
    return render(messages, null);
  }

  /** The same, the tools the model may call first (a system block), as the request gives them. */
  static String render(JsonNode messages, JsonNode tools) {
    StringBuilder sb = new StringBuilder();
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      sb.append("<|im_start|>system\n# Tools\n<tools>\n");
      tools.forEach(t -> sb.append(t.path("function")).append('\n'));
      sb.append("</tools><|im_end|>\n");
    }
    for (JsonNode m : messages) {
      String role = m.path("role").asText("user");
      sb.append("<|im_start|>").append(role.equals("tool") ? "user" : role).append('\n');
      if (role.equals("tool")) {
        sb.append("<tool_response>\n");
      }
      JsonNode content = m.path("content");
      if (content.isTextual()) {
        sb.append(content.asText());
      } else {
        for (JsonNode part : content) {
          if ("text".equals(part.path("type").asText())) {
            sb.append(part.path("text").asText());
          }
        }
      }
      for (JsonNode call : m.path("tool_calls")) {
        sb.append("<tool_call>\n{\"name\": \"").append(call.path("function").path("name").asText())
            .append("\", \"arguments\": ").append(call.path("function").path("arguments").asText()).append("}\n</tool_call>");
      }
      if (role.equals("tool")) {
        sb.append("\n</tool_response>");
      }
      sb.append("<|im_end|>\n");
    }
    return sb.append("<|im_start|>assistant\n").toString();
  }
}
