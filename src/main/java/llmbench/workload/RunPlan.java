package llmbench.workload;

import java.util.List;
import java.util.Map;

/**
 * Everything a profile's run needs, resolved before the first request: the server's facts, the
 * warm-up and every level's request bodies, and what the checks before the run found. A plan first
 * comes with its preflight request ({@link Preflight}); the server's answer completes it
 * ({@link Planner#checked}).
 */
public record RunPlan(
    String profile,
    String baseUrl,
    String modelId,
    String tokenizerId,
    Endpoint endpoint,
    int maxModelLen,
    LevelPlan warmup,
    List<LevelPlan> levels,
    List<String> notes,
    Map<String, Object> metadata,
    String skippedReason,
    Preflight preflight) {

  /**
   * The one request sent before anything is timed (2 tokens out) and what its answer is checked against.
   *
   * @param what the request in words, for the error when the server rejects it
   * @param expectedPromptTokens the prompt tokens the plan expects the server to count
   * @param vision a vision request: the server's count tells the image's tokens
   * @param exactChat each chat prompt is checked against the server's own count (its /tokenize)
   * @param template the chat template's tokens, when the server told them
   * @param textTokens the tokens of the text part
   */
  public record Preflight(String path, byte[] body, String what, int expectedPromptTokens, boolean dataset,
      boolean vision, boolean exactChat, Integer template, int textTokens, int outputLen) {}

  public boolean skipped() {
    return skippedReason != null;
  }

  /** Chat completions (the seed's vision and session runs among them). */
  public boolean chat() {
    return endpoint == Endpoint.CHAT;
  }

  public String path() {
    return endpoint.path();
  }

  public String endpointType() {
    return endpoint.type();
  }

  RunPlan skip(String reason) {
    return new RunPlan(profile, baseUrl, modelId, tokenizerId, endpoint, maxModelLen, null, List.of(), notes, metadata,
        reason, null);
  }
}
