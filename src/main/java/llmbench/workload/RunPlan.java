package llmbench.workload;

import java.util.List;
import java.util.Map;

/**
 * Everything a profile's run needs, resolved before the first request: the server's facts, the
 * warm-up and every level's request bodies, and what the checks before the run found.
 */
public record RunPlan(
    String profile,
    String baseUrl,
    String modelId,
    String tokenizerId,
    boolean chat,
    int maxModelLen,
    LevelPlan warmup,
    List<LevelPlan> levels,
    List<String> notes,
    Map<String, Object> metadata,
    String skippedReason) {

  public boolean skipped() {
    return skippedReason != null;
  }

  public String path() {
    return chat ? "/v1/chat/completions" : "/v1/completions";
  }

  public String endpointType() {
    return chat ? "openai-chat" : "vllm";
  }
}
