package llmbench.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import llmbench.diagnosis.ClientDiagnosis;
import llmbench.stop.LevelEnd;
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

  /**
   * The metadata key of a user's simulation on the LLM protocol: its results are per request name
   * (within its groups), each its own "level", with no planned lengths or users.
   */
  public static final String BY_REQUEST_KEY = "results_by_request";
  /** The endpoint type of such a run, whose requests may go to any endpoint. */
  public static final String ANY_ENDPOINT = "openai";

  /** True for a user's simulation ({@link #BY_REQUEST_KEY}). */
  public boolean byRequest() {
    return metadata != null && Boolean.TRUE.equals(metadata.get(BY_REQUEST_KEY));
  }

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
   * An open-model level's arrivals, in vLLM's result terms.
   *
   * @param requestRate "4" or "inf" (a ramp's and a trace's: they have no one rate)
   * @param maxConcurrency null when uncapped
   * @param pattern {@code rate}, {@code ramp} or {@code trace}; null in a run folder from before ramps
   * @param description the schedule in words, for the block's heading
   * @param keys what the results add of it (a ramp's ends, a trace's name and speed-up)
   */
  public record Schedule(String requestRate, double burstiness, Integer maxConcurrency, long arrivalSeed,
      String pattern, String description, Map<String, Object> keys) {
    public Schedule(String requestRate, double burstiness, Integer maxConcurrency, long arrivalSeed) {
      this(requestRate, burstiness, maxConcurrency, arrivalSeed, null, null, null);
    }

    /** A ramp or a trace: its rate changes within the level, so it is reported window by window. */
    public boolean varies() {
      return pattern != null && !pattern.equals("rate");
    }
  }

  /** The schedule of level {@code label}; null for a closed-model level. */
  public Schedule schedule(String label) {
    return schedules == null ? null : schedules.get(label);
  }

  /**
   * A level's shape, held once for the level: its users (a rate level's cap, 0 when uncapped) and the
   * requested lengths (null in a run folder written before they were kept here: its records tell).
   * When and how fast its request bodies were built (before the level started), and the client's
   * self-check inside the level (null when the level did not end, e.g. Ctrl-C). A shard adds what the
   * merge needs of its level ({@code shard}); a merge of shards adds the level's own warnings (a
   * partial level) and what it found ({@code merged}); null otherwise. Folders written before these
   * were typed held them in an untyped {@code keys} map, which is read past. {@code end}: how the level
   * ended under the run's stop rules and what the over-saturation check found (null: not checked).
   */
  @JsonIgnoreProperties({"keys"})
  public record LevelInputs(int plannedPrompts, long buildMs, long builtAtEpochMs, ClientDiagnosis.Level client,
      Integer concurrency, Integer inputLen, Integer outputLen, List<String> warnings, ShardLevel shard,
      MergedLevel merged, LevelEnd end) {
    public LevelInputs(int plannedPrompts, long buildMs, long builtAtEpochMs, ClientDiagnosis.Level client) {
      this(plannedPrompts, buildMs, builtAtEpochMs, client, null, null, null, null, null, null, null);
    }

    public LevelInputs(int plannedPrompts, long buildMs, long builtAtEpochMs, ClientDiagnosis.Level client,
        Integer concurrency, Integer inputLen, Integer outputLen) {
      this(plannedPrompts, buildMs, builtAtEpochMs, client, concurrency, inputLen, outputLen, null, null, null, null);
    }

    public LevelInputs withMerged(MergedLevel m) {
      return new LevelInputs(plannedPrompts, buildMs, builtAtEpochMs, client, concurrency, inputLen, outputLen,
          warnings, shard, m, end);
    }
  }

  /**
   * What a shard keeps of its level for the merge: the whole level's requests and users (it sent its
   * share of them) and when it started the level, {@code System.nanoTime()} on its own clock.
   */
  public record ShardLevel(int wholePrompts, int wholeUsers, long startNanoTime) {
    /** The shard's own level result's keys. */
    public Map<String, Object> resultKeys() {
      return Map.of("shard_whole_prompts", wholePrompts, "shard_whole_users", wholeUsers,
          "shard_start_nanotime", startNanoTime);
    }
  }

  /**
   * What a merge of shards found for a level, as its result says it.
   *
   * @param startSpreadMs each shard's first request of the level, latest minus earliest; null with one shard
   * @param clockOffsetsMs each shard's clock against shard 0's, by shard index
   * @param clockOffsetRttMs the longest round trip an offset was measured with (it is right within half)
   */
  public record MergedLevel(int shards, List<Integer> shardsMissing, Double startSpreadMs,
      Map<String, Double> clockOffsetsMs, double clockOffsetRttMs) {
    public MergedLevel withStartSpread(double ms) {
      return new MergedLevel(shards, shardsMissing, ms, clockOffsetsMs, clockOffsetRttMs);
    }

    /** The level result's keys. */
    public Map<String, Object> resultKeys() {
      Map<String, Object> k = new java.util.LinkedHashMap<>();
      k.put("shards", shards);
      k.put("shards_missing", shardsMissing);
      k.put("shard_start_spread_ms", startSpreadMs);
      k.put("shard_clock_offsets_ms", clockOffsetsMs);
      k.put("shard_clock_offset_rtt_ms", clockOffsetRttMs);
      return k;
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
