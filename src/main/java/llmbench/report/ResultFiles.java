package llmbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The level results an output folder holds (ours, not vLLM's or other JSON files), in the order they ran. */
public final class ResultFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultFiles() {}

  public static List<JsonNode> read(Path out) throws IOException {
    List<JsonNode> results = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        JsonNode n = JSON.readTree(f.toFile());
        if (n != null && n.has("level_start_epoch_ms") && n.has("tool")) {
          results.add(n);
        }
      }
    }
    results.sort(Comparator.comparingLong(n -> n.path("level_start_epoch_ms").asLong()));
    return results;
  }
}
