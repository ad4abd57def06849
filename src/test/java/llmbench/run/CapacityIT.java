package llmbench.run;

import llmbench.cli.SweepCommand;
import llmbench.gatling.sweep.GatlingLauncher;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import llmbench.cli.Cli;
import org.junit.jupiter.api.Test;

/**
 * {@code run_test.sh --find-capacity} against the mock with {@code --mock-max-num-seqs 8}: up to 8
 * users nothing queues; a ninth waits for a whole request (80 tokens, ~48 ms at time scale 0.1),
 * so P99 TTFT must cross 20 ms between 8 and 9.
 */
class CapacityIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static int search(Path work, Path out, String... extra) {
    List<String> a = new ArrayList<>(List.of("--mock", "--find-capacity", "--slo", "ttft_p99:20,tpot_p99:5",
        "--mock-max-num-seqs", "8", "--mock-time-scale", "0.1", "--output-len", "80", "--out", out.toString(),
        "--gatling-results", work.resolve("gatling").toString(), "--nvidia-smi", "/nonexistent/nvidia-smi",
        "--metrics-interval-ms", "100"));
    a.addAll(List.of(extra));
    return Cli.run(new SweepCommand(GatlingLauncher::run, false), a.toArray(String[]::new));
  }

  private static long runFolders(Path work) throws Exception {
    try (Stream<Path> s = Files.list(work.resolve("gatling"))) {
      return s.filter(Files::isDirectory).count();
    }
  }

  @Test
  void findsTheMocksLimitResumesWithoutMeasuringAgainAndSaysWhenNoLimitIsBelowTheMax() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "capacity");
    Path out = work.resolve("out");
    assertEquals(0, search(work, out));
    JsonNode c = JSON.readTree(out.resolve("capacity.json").toFile());
    assertEquals(8.0, c.get("largest_load_met").asDouble(), c.toPrettyString());
    assertEquals(9.0, c.get("smallest_load_broken").asDouble(), "one search step above the limit");
    assertTrue(c.get("first_broken").get(0).asText().startsWith("ttft_p99 "), c.get("first_broken").toString());
    int probes = c.get("probes").size();
    assertTrue(probes <= 12, probes + " probes");
    assertTrue(c.get("server_at_limit").get("server_waiting_max").asDouble() >= 1, "requests queued at the limit");
    for (JsonNode p : c.get("probes")) {
      assertTrue(Files.isRegularFile(out.resolve(p.get("result").asText())), p.toString());
      assertTrue(p.get("completed").asInt() >= 100, "at least --min-requests per probe: " + p);
    }
    assertTrue(Files.readString(out.resolve("capacity.html")).contains("capacity: 8 concurrent requests met every target"));

    long folders = runFolders(work);
    assertEquals(0, search(work, out, "--resume"));
    assertEquals(folders, runFolders(work), "a resumed search ran Gatling again");
    JsonNode again = JSON.readTree(out.resolve("capacity.json").toFile());
    assertEquals(8.0, again.get("largest_load_met").asDouble());
    assertEquals(probes, again.get("probes").size());

    assertEquals(0, search(work, out, "--resume", "--max-load", "4"));
    assertEquals(folders, runFolders(work), "1, 2 and 4 were all measured before");
    JsonNode capped = JSON.readTree(out.resolve("capacity.json").toFile());
    assertEquals(4.0, capped.get("largest_load_met").asDouble());
    assertTrue(capped.get("smallest_load_broken").isNull());
    assertTrue(capped.get("summary").asText().contains("largest load allowed"), capped.get("summary").asText());
  }
}
