package llmbench.workload;

import java.util.List;
import java.util.Locale;

/**
 * A profile: input and output tokens and the concurrency levels to sweep (the seed's five, FIELD_NOTES
 * §1, or a workload file's; none when its levels are request rates).
 * {@code inputLen} ≤ 0 means "max-model-len − outputLen", the seed's high profile.
 */
public record Profile(String name, int inputLen, int outputLen, List<Integer> levels, boolean vision) {
  // the seed's profiles, from the workload file shipped in the jar (llmbench/workload/profiles.yaml)
  public static final Profile HIGH = named("high");
  public static final Profile MEDIUM = named("medium");
  public static final Profile LOW = named("low");
  /** Vision 1: a short question, a long description of the image; text tokens in, one image per request. */
  public static final Profile VISION1 = named("vision1");
  public static final Profile VISION2 = named("vision2");

  public static Profile named(String name) {
    try {
      return Workload.defaults().named(name.toLowerCase(Locale.ROOT)).profile();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown profile '" + name + "': use high, medium, low (text) or vision1, vision2");
    }
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
