package llmbench.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbench.stats.RunSpread;

/**
 * A level that ran several times (a repeated profile): its runs' files and, per headline metric, the
 * spread over the runs ({@link RunSpread}). {@code spread.json} holds every such level of a sweep.
 */
public record LevelSpread(String profile, String level, String shape, List<String> files,
    Map<String, RunSpread> metrics) {

  public static final String FILE_NAME = "spread.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).enable(SerializationFeature.INDENT_OUTPUT);

  /** The file: the confidence level and every repeated level. */
  public record File(@JsonProperty("confidence_level") double confidenceLevel, List<LevelSpread> levels) {}

  public int runs() {
    return files.size();
  }

  /**
   * The levels that ran more than once among {@code results} (by profile and level, runs in their
   * order), each with its spread; levels that ran once are left out.
   */
  public static List<LevelSpread> of(List<LevelResult> results, double confidence) {
    Map<String, List<LevelResult>> byLevel = new LinkedHashMap<>();
    for (LevelResult r : results) {
      byLevel.computeIfAbsent(r.profile() + "\u0000" + r.level(), k -> new ArrayList<>()).add(r);
    }
    List<LevelSpread> out = new ArrayList<>();
    for (List<LevelResult> runs : byLevel.values()) {
      if (runs.size() < 2) {
        continue;
      }
      List<LevelResult> sorted = runs.stream().sorted(Comparator.comparingInt(LevelResult::run)).toList();
      Map<String, RunSpread> metrics = new LinkedHashMap<>();
      for (String m : RunSpread.METRICS) {
        List<Double> values = sorted.stream().map(r -> value(r, m)).toList();
        if (values.stream().allMatch(v -> v != null)) {
          metrics.put(m, RunSpread.of(values, confidence));
        }
      }
      LevelResult first = sorted.get(0);
      out.add(new LevelSpread(first.profile(), first.level(), shape(first),
          sorted.stream().map(LevelResult::fileName).toList(), metrics));
    }
    return out;
  }

  /** A headline metric's value in one run's result (vLLM's key); null when the result lacks it. */
  public static Double value(LevelResult r, String key) {
    return switch (key) {
      case "request_throughput" -> r.requestThroughput();
      case "output_throughput" -> r.outputThroughput();
      case "total_token_throughput" -> r.totalTokenThroughput();
      default -> r.number(key);
    };
  }

  private static String shape(LevelResult r) {
    String lengths = r.randomInputLen() + " in / " + r.randomOutputLen() + " out";
    return r.open() ? lengths + ", " + r.scheduleText() : lengths + ", concurrency " + r.maxConcurrency();
  }

  public static void write(Path file, double confidence, List<LevelSpread> levels) throws IOException {
    JSON.writeValue(file.toFile(), new File(confidence, levels));
  }

  public static File read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), File.class);
  }
}
