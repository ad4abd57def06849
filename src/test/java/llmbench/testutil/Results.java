package llmbench.testutil;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import llmbench.results.LevelResult;

/** Level results for tests: from JSON as a file holds it (through the same binding as the readers). */
public final class Results {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Results() {}

  public static LevelResult of(JsonNode json) {
    try {
      return JSON.treeToValue(json, LevelResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The (first) level result the mock's model gave in folder {@code out}, as JSON. */
  public static JsonNode mockLevel(java.nio.file.Path out) throws java.io.IOException {
    try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(out)) {
      return JSON.readTree(s.filter(p -> p.getFileName().toString().startsWith("llmbench-8b_")).findFirst()
          .orElseThrow(() -> new AssertionError("no level result in " + out)).toFile());
    }
  }

  /** vLLM's statistics keys for these metrics: mean, median, std 0 and p99. */
  public static Map<String, Object> stats(Map<String, double[]> meanMedianP99) {
    Map<String, Object> m = new LinkedHashMap<>();
    meanMedianP99.forEach((metric, v) -> {
      m.put("mean_" + metric + "_ms", v[0]);
      m.put("median_" + metric + "_ms", v[1]);
      m.put("std_" + metric + "_ms", 0.0);
      m.put("p99_" + metric + "_ms", v[2]);
    });
    return m;
  }
}
