package llmbench.workload;

import java.util.List;
import java.util.Locale;

/**
 * A seed profile (FIELD_NOTES §1): input and output tokens and the concurrency levels to sweep.
 * {@code inputLen} ≤ 0 means "max-model-len − outputLen", the seed's high profile.
 */
public record Profile(String name, int inputLen, int outputLen, List<Integer> levels) {
  public static final Profile HIGH = new Profile("high", 0, 2048, List.of(1, 5, 10));
  public static final Profile MEDIUM = new Profile("medium", 200, 250, List.of(32, 64, 128));
  public static final Profile LOW = new Profile("low", 100, 150, List.of(1, 4, 8, 16, 32));

  public static Profile named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "high" -> HIGH;
      case "medium" -> MEDIUM;
      case "low" -> LOW;
      default -> throw new IllegalArgumentException("unknown profile '" + name + "': use high, medium or low");
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
    return new Profile(name, input != null ? input : inputLen, output != null ? output : outputLen, levels);
  }

  public Profile withLevels(List<Integer> newLevels) {
    return new Profile(name, inputLen, outputLen, List.copyOf(newLevels));
  }
}
