package llmbench.replay;

import java.util.Locale;

/**
 * The trace files a replay reads (FIELD_NOTES §21), each with its own clock and prefix blocks.
 *
 * <ul>
 *   <li>{@code mooncake}: JSONL, {@code timestamp} in ms from the trace's start, {@code input_length},
 *       {@code output_length}, {@code hash_ids} (one id per 512-token block of the prompt);
 *   <li>{@code timed_trace}: vLLM's {@code bench serve --dataset-name timed_trace}: the same keys, the
 *       timestamp in seconds, one hash id per 16 tokens ({@code --timed-trace-chunk-hash-size});
 *   <li>{@code azure}: Azure's LLM inference traces (2023, 2024), CSV {@code TIMESTAMP,ContextTokens,GeneratedTokens}
 *       with wall-clock timestamps, taken relative to the first;
 *   <li>{@code burstgpt}: BurstGPT's CSV, {@code Timestamp} in seconds, {@code Request tokens},
 *       {@code Response tokens}; a failed request has 0 response tokens.
 * </ul>
 */
public enum TraceFormat {
  MOONCAKE("mooncake", 1e-3, 512),
  TIMED_TRACE("timed_trace", 1.0, 16),
  AZURE("azure", 1.0, 0),
  BURSTGPT("burstgpt", 1.0, 0);

  private final String id;
  private final double secondsPerUnit;
  private final int defaultBlockSize;

  TraceFormat(String id, double secondsPerUnit, int defaultBlockSize) {
    this.id = id;
    this.secondsPerUnit = secondsPerUnit;
    this.defaultBlockSize = defaultBlockSize;
  }

  /** As {@code --dataset} spells it. */
  public String id() {
    return id;
  }

  /** Seconds per unit of the file's timestamps (azure's are read as dates). */
  double secondsPerUnit() {
    return secondsPerUnit;
  }

  /** Tokens per hash id, when the trace has hash ids; 0 when it has none. */
  public int defaultBlockSize() {
    return defaultBlockSize;
  }

  /** True for the formats whose entries name their prompts' shared blocks. */
  public boolean hasBlocks() {
    return defaultBlockSize > 0;
  }

  /** The format named {@code id}; null when none is. */
  public static TraceFormat byId(String id) {
    for (TraceFormat f : values()) {
      if (f.id.equals(id.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    return null;
  }
}
