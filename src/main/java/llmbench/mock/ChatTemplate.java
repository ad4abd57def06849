package llmbench.mock;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The mock's chat template: ChatML (Qwen's and many others'), so that chat prompts carry the role
 * tokens a real server adds. Image parts are counted separately by {@link ImageTokens}.
 */
final class ChatTemplate {
  private ChatTemplate() {}

  /** Renders the text of all messages; image parts are skipped (their tokens are added apart). */
  static String render(JsonNode messages) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode m : messages) {
      sb.append("<|im_start|>").append(m.path("role").asText("user")).append('\n');
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
      sb.append("<|im_end|>\n");
    }
    return sb.append("<|im_start|>assistant\n").toString();
  }
}
