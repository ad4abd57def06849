package llmbench.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image tokens the server counted in each vision request: its prompt tokens (usage) less the
 * text's and the chat template's, which the run built to a known length. With several images, or
 * several sizes, this varies request by request.
 */
public final class ImageTokenCounts {
  private ImageTokenCounts() {}

  /**
   * The result keys {@code image_tokens_{mean,min,max}}; empty when the run told no text length (not a
   * vision run) or no request succeeded.
   *
   * @param inputLens the server's prompt tokens of each successful request
   */
  public static Map<String, Object> of(List<Integer> inputLens, Map<String, Object> metadata) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (metadata == null || !(metadata.get("text_tokens") instanceof Number text) || inputLens.isEmpty()) {
      return m;
    }
    int template = metadata.get("chat_template_tokens") instanceof Number t ? t.intValue() : 0;
    int[] image = inputLens.stream().mapToInt(n -> n - text.intValue() - template).toArray();
    m.put("image_tokens_mean", java.util.Arrays.stream(image).average().orElse(0));
    m.put("image_tokens_min", java.util.Arrays.stream(image).min().orElse(0));
    m.put("image_tokens_max", java.util.Arrays.stream(image).max().orElse(0));
    return m;
  }
}
