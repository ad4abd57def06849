package llmbench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import llmbench.diagnosis.ClientDiagnosis;
import llmbench.trace.ShardTimes;

/**
 * The run's facts, written beside the token timings when the run starts, so that the post-processor
 * can rebuild the results from a run folder alone. Holds no secret (no API key).
 */
public record RunInfo(
    String profile,
    String simulation,
    String baseUrl,
    String modelId,
    String tokenizerId,
    String endpointType,
    int maxModelLen,
    long startEpochMs,
    List<String> percentileMetrics,
    List<Double> percentiles,
    String goodput,
    List<String> notes,
    Map<String, Object> metadata,
    Map<String, LevelInputs> levels,
    Map<String, Schedule> schedules,
    ShardTimes shard) {

  /** A run without request-rate levels. */
  public RunInfo(String profile, String simulation, String baseUrl, String modelId, String tokenizerId,
      String endpointType, int maxModelLen, long startEpochMs, List<String> percentileMetrics,
      List<Double> percentiles, String goodput, List<String> notes, Map<String, Object> metadata,
      Map<String, LevelInputs> levels) {
    this(profile, simulation, baseUrl, modelId, tokenizerId, endpointType, maxModelLen, startEpochMs,
        percentileMetrics, percentiles, goodput, notes, metadata, levels, null, null);
  }

  /** The same run's facts with other levels, notes and metadata (a merge of shards). */
  public RunInfo with(Map<String, LevelInputs> l, List<String> n, Map<String, Object> m, ShardTimes s) {
    return new RunInfo(profile, simulation, baseUrl, modelId, tokenizerId, endpointType, maxModelLen, startEpochMs,
        percentileMetrics, percentiles, goodput, n, m, l, schedules, s);
  }

  /**
   * A request-rate level's arrivals, in vLLM's result terms.
   *
   * @param requestRate "4" or "inf"
   * @param maxConcurrency null when uncapped
   */
  public record Schedule(String requestRate, double burstiness, Integer maxConcurrency, long arrivalSeed) {}

  /** The schedule of level {@code label}; null for a closed-model level. */
  public Schedule schedule(String label) {
    return schedules == null ? null : schedules.get(label);
  }

  /**
   * A level's shape, held once for the level: its users (a rate level's cap, 0 when uncapped) and the
   * requested lengths (null in a run folder written before they were kept here: its records tell).
   * When and how fast its request bodies were built (before the level started), and the client's
   * self-check inside the level (null when the level did not end, e.g. Ctrl-C). A merge of shards adds
   * the level's own warnings (a partial level) and result keys (the shards' start spread); null otherwise.
   */
  public record LevelInputs(int plannedPrompts, long buildMs, long builtAtEpochMs, ClientDiagnosis.Level client,
      Integer concurrency, Integer inputLen, Integer outputLen, List<String> warnings, Map<String, Object> keys) {
    public LevelInputs(int plannedPrompts, long buildMs, long builtAtEpochMs, ClientDiagnosis.Level client) {
      this(plannedPrompts, buildMs, builtAtEpochMs, client, null, null, null, null, null);
    }

    public LevelInputs(int plannedPrompts, long buildMs, long builtAtEpochMs, ClientDiagnosis.Level client,
        Integer concurrency, Integer inputLen, Integer outputLen) {
      this(plannedPrompts, buildMs, builtAtEpochMs, client, concurrency, inputLen, outputLen, null, null);
    }
  }

  public static final String FILE_NAME = "run-info.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public void write(Path file) throws IOException {
    JSON.writeValue(file.toFile(), this);
  }

  public static RunInfo read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), RunInfo.class);
  }
}
