package llmbench.workload;

import java.util.List;
import java.util.Locale;

/**
 * A seed profile (FIELD_NOTES §1): input and output tokens and the concurrency levels to sweep.
 * {@code inputLen} ≤ 0 means "max-model-len − outputLen", the seed's high profile.
 */
public record Profile(String name, int inputLen, int outputLen, List<Integer> levels, boolean vision) {
  public static final Profile HIGH = new Profile("high", 0, 2048, List.of(1, 5, 10), false);
  public static final Profile MEDIUM = new Profile("medium", 200, 250, List.of(32, 64, 128), false);
  public static final Profile LOW = new Profile("low", 100, 150, List.of(1, 4, 8, 16, 32), false);
  /** Vision 1: a short question, a long description of the image; text tokens in, one image per request. */
  public static final Profile VISION1 = new Profile("vision1", 50, 300, List.of(8, 16, 32, 64, 128), true);
  public static final Profile VISION2 = new Profile("vision2", 100, 100, List.of(1, 8, 16, 32), true);

  public static Profile named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "high" -> HIGH;
      case "medium" -> MEDIUM;
      case "low" -> LOW;
      case "vision1" -> VISION1;
      case "vision2" -> VISION2;
      default -> throw new IllegalArgumentException("unknown profile '" + name
          + "': use high, medium, low (text) or vision1, vision2");
    };
  }

  public boolean inputFromContext() {
    return inputLen <= 0;
  }

  /** The input length for a server with this context length. */
  public int inputFor(int maxModelLen) {
    return inputFromContext() ? maxModelLen - outputLen : inputLen;
  }

  /** Why this profile cannot run on a server with this context length, or null when it fits. */
  public String doesNotFit(int maxModelLen) {
    int input = inputFor(maxModelLen);
    if (input >= 1 && input + outputLen <= maxModelLen) {
      return null;
    }
    return "profile " + name + " needs " + (inputFromContext() ? "more than " + outputLen
        : Integer.toString(input + outputLen)) + " tokens of context but the server's max_model_len is " + maxModelLen;
  }

  public Profile withLengths(Integer input, Integer output) {
    return new Profile(name, input != null ? input : inputLen, output != null ? output : outputLen, levels, vision);
  }

  public Profile withLevels(List<Integer> newLevels) {
    return new Profile(name, inputLen, outputLen, List.copyOf(newLevels), vision);
  }
}
