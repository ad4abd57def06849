package llmbench.report;

import java.util.List;
import java.util.Map;
import llmbench.stats.LevelMetrics;

/**
 * Everything written about one level: the run's facts, the metrics and our extra metadata.
 *
 * @param endpointType vLLM's name: {@code vllm} (completions) or {@code openai-chat}
 * @param metadata our own keys (profile, level, Gatling run folder, cross-checks, warnings...)
 */
public record LevelReport(
    String date,
    String endpointType,
    String modelId,
    String tokenizerId,
    int concurrency,
    int inputLen,
    int outputLen,
    Map<String, Object> metadata,
    List<String> percentileMetrics,
    List<Double> percentiles,
    boolean goodputRequested,
    LevelMetrics metrics) {

  /** The seed's file name: {@code ${MODEL_NAME}_${IN}-${OUT}_${NUM_PROMPTS}.json}, MODEL_NAME = last path segment. */
  public String fileName() {
    String model = modelId.substring(modelId.lastIndexOf('/') + 1);
    return model.replaceAll("[^A-Za-z0-9._-]", "_") + "_" + inputLen + "-" + outputLen + "_"
        + metrics.numPrompts() + ".json";
  }
}
