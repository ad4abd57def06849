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
    LevelMetrics metrics,
    RunInfo.Schedule schedule) {

  /** A closed-model level. */
  public LevelReport(String date, String endpointType, String modelId, String tokenizerId, int concurrency,
      int inputLen, int outputLen, Map<String, Object> metadata, List<String> percentileMetrics,
      List<Double> percentiles, boolean goodputRequested, LevelMetrics metrics) {
    this(date, endpointType, modelId, tokenizerId, concurrency, inputLen, outputLen, metadata, percentileMetrics,
        percentiles, goodputRequested, metrics, null);
  }

  /** vLLM's max_concurrency: the level's users, or a request-rate level's cap (null when uncapped). */
  public Integer maxConcurrency() {
    return schedule == null ? Integer.valueOf(concurrency) : schedule.maxConcurrency();
  }

  /**
   * The seed's file name: {@code ${MODEL_NAME}_${IN}-${OUT}_${NUM_PROMPTS}.json}, MODEL_NAME = last path
   * segment; a request-rate level adds {@code _${RATE}qps}, {@code _b${BURSTINESS}} when not 1 and
   * {@code _mc${MAX_CONCURRENCY}} when capped, so it never takes a closed-model level's name; a
   * dataset's prompts put its name where the lengths were ({@code _sharegpt_}, {@code _jsonl-FILE_}).
   */
  public String fileName() {
    String model = modelId.substring(modelId.lastIndexOf('/') + 1);
    String open = "";
    if (schedule != null) {
      open = "_" + schedule.requestRate() + "qps"
          + (schedule.burstiness() == 1.0 ? "" : "_b" + schedule.burstiness())
          + (schedule.maxConcurrency() == null ? "" : "_mc" + schedule.maxConcurrency());
    }
    Object dataset = metadata.get("dataset_name");
    String lengths = dataset != null ? dataset.toString() : inputLen + "-" + outputLen;
    return model.replaceAll("[^A-Za-z0-9._-]", "_") + "_" + lengths + "_" + metrics.numPrompts() + open + ".json";
  }
}
