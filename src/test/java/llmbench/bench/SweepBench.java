package llmbench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The whole seed text sweep as a user runs it ({@code ./run_test.sh --mock}, a fast mock), its wall time
 * against the sum of the levels' own durations, split by what the console shows: start-up (Maven
 * wrapper check, JVM, mock), per profile Gatling start-up and planning, body building, post-processing.
 */
final class SweepBench {
  private static final Pattern PREPARED = Pattern.compile("prepared \\d+ requests for \\S+ in (\\d+) ms");

  private SweepBench() {}

  static Map<String, Object> run(Path work, boolean quick, double timeScale) throws IOException, InterruptedException {
    Path out = work.resolve("sweep-out-" + timeScale);
    Process p = new ProcessBuilder("./run_test.sh", "--mock", "--mock-time-scale", Double.toString(timeScale),
        "--profiles", quick ? "low" : "high,medium,low", "--out", out.toString(), "--gatling-results",
        work.resolve("sweep-gatling-" + timeScale).toString(), "--nvidia-smi", "/nonexistent")
        .redirectErrorStream(true).start();
    long t0 = System.nanoTime();
    double startup = -1;
    double gatlingStart = 0;
    double post = 0;
    double prepared = 0;
    double profileAt = -1;
    double postAt = -1;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        double now = (System.nanoTime() - t0) / 1e9;
        if (startup < 0 && line.startsWith("built-in mock vLLM server started")) {
          startup = now;
        }
        if (line.startsWith("=== profile") || line.startsWith("=== sweep summary")) {
          if (postAt >= 0) {
            post += now - postAt;
            postAt = -1;
          }
          profileAt = now;
        }
        if (line.startsWith("Simulation ") && line.endsWith(" started...") && profileAt >= 0) {
          gatlingStart += now - profileAt;
          profileAt = -1;
        }
        Matcher m = PREPARED.matcher(line);
        if (m.find()) {
          prepared += Long.parseLong(m.group(1)) / 1e3;
        }
        if (line.startsWith("token timings: ")) {
          postAt = now;
        }
      }
    }
    int status = p.waitFor();
    double wall = (System.nanoTime() - t0) / 1e9;
    double levels = 0;
    int levelCount = 0;
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.filter(x -> x.toString().endsWith(".json")).toList()) {
        JsonNode n = new ObjectMapper().readTree(f.toFile());
        levels += n.path("duration").asDouble();
        levelCount++;
      }
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("mock_time_scale", timeScale);
    row.put("exit_status", status);
    row.put("levels", levelCount);
    row.put("wall_s", wall);
    row.put("levels_s", levels);
    row.put("overhead_s", wall - levels);
    row.put("overhead_pct", 100 * (wall - levels) / wall);
    row.put("startup_s", startup);
    row.put("gatling_startup_and_planning_s", gatlingStart);
    row.put("body_building_s", prepared);
    row.put("post_processing_s", post);
    System.out.printf("sweep at %.1fx mock time: %d levels, wall %.1f s, levels %.1f s, overhead %.1f s (%.0f %%): start-up %.1f s, "
        + "Gatling start-up + planning %.1f s, bodies %.1f s, post-processing %.1f s%n", timeScale, levelCount, wall, levels,
        wall - levels, 100 * (wall - levels) / wall, startup, gatlingStart, prepared, post);
    return row;
  }
}
