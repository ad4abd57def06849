package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import llmbench.mock.Faults;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.testutil.Sweeps;
import org.junit.jupiter.api.Test;

/**
 * Sweeps that stop by themselves, against the mock: a server failing half its requests ends the first
 * level early under {@code --max-error-rate 0.2} and the higher levels are never sent (the mock's own
 * count of requests); a mock pushed past its {@code max_num_seqs} is found over-saturated where it
 * passes it, and one below it nowhere.
 */
class StopIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The level results in {@code out}, by level label. */
  private static Map<String, JsonNode> results(Path out) throws Exception {
    Map<String, JsonNode> byLevel = new LinkedHashMap<>();
    try (Stream<Path> s = Files.list(out)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith("llmbench-8b_")).sorted().toList()) {
        JsonNode r = JSON.readTree(p.toFile());
        byLevel.put(r.get("level").asText(), r);
      }
    }
    return byLevel;
  }

  @Test
  void aServerFailingHalfItsRequestsEndsTheLevelAndSkipsTheHigherOnes() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "stoperr");
    Path out = work.resolve("out");
    Faults half = Faults.of("--fault-rate", Map.of("500", 0.5), 5, 2000);
    // seed 2: its first two draws are faults, so the preflight is tried three times (counted below)
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.5).seed(2).faults(half).build())) {
      String console = Sweeps.sweep(work, "--url", mock.baseUrl(), "--profiles", "low", "--levels", "4,8,16", "--rounds", "25",
          "--input-len", "200", "--output-len", "40", "--max-error-rate", "0.2", "--out", out.toString());
      Map<String, JsonNode> results = results(out);
      assertEquals(List.of("c004"), List.copyOf(results.keySet()), "the higher levels left no result");
      JsonNode c4 = results.get("c004");
      int sent = c4.get("completed").asInt() + c4.get("failed").asInt();
      assertEquals(100, c4.get("planned_prompts").asInt());
      assertTrue(sent < 100, "the level ended early: " + sent + " of 100 sent");
      assertTrue(sent >= 20, "judged from the 20th answer on: " + sent);
      assertTrue(c4.get("failed").asInt() > 0.2 * sent);
      assertEquals("max_error_rate", c4.get("stopped_by").asText());
      assertEquals(List.of("c008", "c016"), JSON.convertValue(c4.get("levels_skipped"), List.class));
      assertTrue(console.contains("[low c004] stopped by --max-error-rate 0.2: "), console);
      assertTrue(console.contains("the climb ends at c004, skipped c008, c016"));
      // the mock's own count: the preflight (and its tries), the two warm-up requests and the level's, nothing more
      int tries = 1 + console.split("trying again", -1).length - 1;
      assertEquals(tries + 2 + sent, mock.requests("/v1/completions"), "no request of c008 or c016 reached the server");
      String csv = Files.readString(out.resolve("summary.csv"));
      assertTrue(csv.contains("\nlow,c004,"), csv);
      assertFalse(csv.contains(",c008,") || csv.contains(",c016,"), csv);
    }
  }

  @Test
  void overSaturationIsFoundPastTheServersSlotsAndNotBelowThem() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "stopsat");
    List<String> common = List.of("--mock", "--profiles", "low", "--levels", "2,4,8,16,32", "--rounds", "4",
        "--input-len", "200", "--output-len", "40", "--mock-time-scale", "0.5");
    List<String> past = new ArrayList<>(common);
    past.addAll(List.of("--mock-max-num-seqs", "8", "--stop-on-saturation", "--out", work.resolve("past").toString()));
    String console = Sweeps.sweep(work, past.toArray(String[]::new));
    Map<String, JsonNode> results = results(work.resolve("past"));
    assertEquals(List.of("c002", "c004", "c008", "c016"), results.keySet().stream().sorted().toList(),
        "the climb ended at c016: c032 was skipped");
    assertFalse(results.get("c002").has("over_saturated"), "the first concurrency level has nothing to be judged against");
    for (String below : List.of("c004", "c008")) {
      assertFalse(results.get(below).get("over_saturated").asBoolean(), below);
    }
    JsonNode c16 = results.get("c016");
    assertTrue(c16.get("over_saturated").asBoolean());
    assertTrue(c16.get("saturation_throughput_gain_pct").asDouble() < 10, c16.toString());
    assertTrue(c16.get("server_mean_queue_ms").asDouble() >= 0.5 * c16.get("median_ttft_ms").asDouble());
    assertEquals(List.of("c032"), JSON.convertValue(c16.get("levels_skipped"), List.class));
    assertTrue(console.contains("[low c016] over-saturated: 2.00x the load of c008 gave "), console);
    assertTrue(console.contains("the climb ends at c016, skipped c032"));

    List<String> below = new ArrayList<>(common);
    below.addAll(List.of("--mock-max-num-seqs", "64", "--out", work.resolve("below").toString()));
    console = Sweeps.sweep(work, below.toArray(String[]::new));
    results = results(work.resolve("below"));
    assertEquals(5, results.size(), "every level ran");
    for (JsonNode r : results.values()) {
      if (!r.get("level").asText().equals("c002")) {
        assertFalse(r.get("over_saturated").asBoolean(), r.get("level").asText() + ": " + r.get("over_saturation"));
      }
    }
    assertFalse(console.contains("over-saturated"));
  }

  @Test
  void badStopOptionsAreOneLineBeforeAnythingIsArchived() throws Exception {
    Map<List<String>, String> expected = Map.of(
        List.of("--mock", "--max-error-rate", "1.5"), "error: --max-error-rate: '1.5' is not a share above 0 and below 1 "
            + "(e.g. 0.2 or 20%)",
        List.of("--mock", "--error-min-requests", "5"), "error: --error-min-requests applies to --max-error-rate: give "
            + "--max-error-rate X",
        List.of("--mock", "--max-duration", "0"), "error: --max-duration: '0' is not a duration above 0 (e.g. 90, 90s, 5m, "
            + "500ms)",
        List.of("--mock-fault-rate", "500=0.5"), "error: --mock-fault-rate plays the built-in mock: add --mock (or give "
            + "the same setting to ./mock_server.sh)",
        List.of("--mock", "--mock-fault-rate", "404=0.5"), "error: unknown fault '404' in --mock-fault-rate: use 429, "
            + "500, 503, error, drop, stall, slow-first, invalid",
        List.of("--url", "http://127.0.0.1:9", "--max-error-rate", "0.2", "--shard", "0/2", "--seed", "1",
            "--coordinator", "127.0.0.1:1"), "error: --shard runs every level in step with the other shards: leave out "
            + "--max-error-rate, --max-duration and --stop-on-saturation");
    Sweeps.refusedBeforeAnything("badstop", List.of(), expected);
  }
}
