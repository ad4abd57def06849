package llmbench.results;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads level results: an output folder's own (in the order they ran), or any file that holds a
 * level's result, ours or vLLM's. Summaries skip the per-request arrays, so a sweep's summary of
 * thousands of requests does not hold their ITLs and texts.
 */
public final class ResultFiles {
  /** The arrays a summary leaves out (they are still parsed, not kept). */
  @JsonIgnoreProperties({"input_lens", "output_lens", "ttfts", "itls", "latencies", "start_times", "generated_texts",
      "errors"})
  private interface WithoutArrays {}

  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  private static final ObjectReader FULL = JSON.readerFor(LevelResult.class);
  private static final ObjectReader SUMMARY = JSON.copy().addMixIn(LevelResult.class, WithoutArrays.class)
      .readerFor(LevelResult.class);

  private ResultFiles() {}

  /** This tool's level results in {@code dir}, without their per-request arrays, in the order they ran. */
  public static List<LevelResult> summaries(Path dir) throws IOException {
    return ours(dir, SUMMARY);
  }

  /** This tool's level results in {@code dir} with every per-request array, in the order they ran. */
  public static List<LevelResult> full(Path dir) throws IOException {
    return ours(dir, FULL);
  }

  /** One file's result with its arrays, ours or vLLM's; null when the file is not a level result. */
  public static LevelResult readAny(Path file) {
    try {
      LevelResult r = FULL.readValue(file.toFile());
      return r != null && r.ttfts() != null && r.numPrompts() > 0 || r != null && r.ours() ? r : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** One of our result files, as a summary. */
  public static LevelResult summary(Path file) throws IOException {
    return SUMMARY.readValue(file.toFile());
  }

  private static List<LevelResult> ours(Path dir, ObjectReader reader) throws IOException {
    List<LevelResult> results = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        LevelResult r;
        try {
          r = reader.readValue(f.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
          continue; // not a level result (capacity.json, a user's file)
        }
        if (r != null && r.ours() && r.levelStartEpochMs() != null) {
          results.add(r);
        }
      }
    }
    results.sort(Comparator.comparingLong(LevelResult::levelStartEpochMs));
    return results;
  }
}
