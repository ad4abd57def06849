package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import llmbench.testutil.Sweeps;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code --repeat}: each run's files (the seed's names for run 1), each run its own prompts, the mock's
 * run-to-run drift, and each level's spread over its runs, checked against the run files' own values
 * (mean, SD and the t interval computed here by hand).
 */
class RepeatIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void eachRunKeepsItsFilesAndTheSpreadIsTheRunsOwn() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "repeat");
    Path out = work.resolve("out");
    String console = Sweeps.sweep(work, "--mock", "--profiles", "low", "--levels", "2,4", "--rounds", "4", "--output-len", "20",
        "--mock-time-scale", "0.5", "--mock-run-drift", "5%", "--mock-seed", "3", "--repeat", "3",
        "--confidence-level", "90%", "--seed", "11", "--out", out.toString());
    List<String> files;
    try (Stream<Path> s = Files.list(out)) {
      files = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("llmbench-8b_")).sorted().toList();
    }
    // vLLM's names: the level's prompts (2 users x 4 rounds, 4 x 4), then the run after the first
    assertEquals(List.of("llmbench-8b_100-20_16.json", "llmbench-8b_100-20_16_run2.json",
        "llmbench-8b_100-20_16_run3.json", "llmbench-8b_100-20_8.json", "llmbench-8b_100-20_8_run2.json",
        "llmbench-8b_100-20_8_run3.json"), files);
    JsonNode[] runs = new JsonNode[3];
    for (int r = 0; r < 3; r++) {
      runs[r] = JSON.readTree(out.resolve("llmbench-8b_100-20_16" + (r == 0 ? "" : "_run" + (r + 1)) + ".json").toFile());
      assertEquals(r + 1, runs[r].get("repeat_run").asInt());
      assertEquals(11 + r, runs[r].get("seed").asLong(), "each run its own prompts");
    }
    assertNotEquals(runs[0].get("generated_texts"), runs[1].get("generated_texts"));
    for (int r = 1; r <= 3; r++) {
      assertTrue(console.contains("=== profile low (LowLoad), run " + r + " of 3"), "run " + r + " announced");
      assertTrue(console.matches("(?s).*built-in mock: run " + r + "'s steps take (0\\.9[5-9]\\d|1\\.0[0-5]\\d) times.*"));
    }
    JsonNode spread = JSON.readTree(out.resolve("spread.json").toFile());
    assertEquals(0.9, spread.get("confidence_level").asDouble());
    JsonNode c4 = null;
    for (JsonNode l : spread.get("levels")) {
      if (l.get("level").asText().equals("c004")) {
        c4 = l;
      }
    }
    assertEquals(3, c4.get("files").size());
    for (String metric : List.of("p99_ttft_ms", "output_throughput", "mean_tpot_ms")) {
      double[] v = new double[3];
      for (int r = 0; r < 3; r++) {
        v[r] = runs[r].get(metric).asDouble();
      }
      double mean = (v[0] + v[1] + v[2]) / 3;
      double sd = Math.sqrt(((v[0] - mean) * (v[0] - mean) + (v[1] - mean) * (v[1] - mean) + (v[2] - mean) * (v[2] - mean)) / 2);
      double half = 2.919986 * sd / Math.sqrt(3); // t(0.95, 2 degrees of freedom), from tables
      JsonNode m = c4.get("metrics").get(metric);
      assertEquals(mean, m.get("mean").asDouble(), 1e-9 * Math.abs(mean), metric);
      assertEquals(sd, m.get("std").asDouble(), 1e-9 * Math.max(1, sd), metric);
      assertEquals(half, m.get("half_width").asDouble(), 1e-5 * Math.max(1, half), metric);
      assertEquals(mean - half, m.get("ci_low").asDouble(), 1e-5 * Math.max(1, half), metric);
    }
    // summary.csv: each run's row (its number), then each level's mean, SD, CV and interval rows
    List<CSVRecord> rows;
    try (var parser = CSVFormat.DEFAULT.builder().setHeader().get().parse(Files.newBufferedReader(out.resolve("summary.csv")))) {
      rows = parser.getRecords();
    }
    List<String> c4rows = rows.stream().filter(r -> r.get("level").equals("c004")).map(r -> r.get("run")).toList();
    assertEquals(List.of("1", "2", "3", "mean of 3 runs", "std", "cv %", "90% CI low", "90% CI high"), c4rows);
    CSVRecord meanRow = rows.stream().filter(r -> r.get("level").equals("c004") && r.get("run").startsWith("mean"))
        .findFirst().orElseThrow();
    assertEquals(c4.get("metrics").get("p99_ttft_ms").get("mean").asDouble(), Double.parseDouble(meanRow.get("p99 TTFT ms")), 0.005);
    assertTrue(console.contains("low c004 over 3 runs (90% CI, Student's t)"), "the console's spread block");
  }

  @Test
  void untilStableStopsOnceTheIntervalIsNarrow() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "stable");
    Path out = work.resolve("out");
    // output throughput of a closed level of fixed lengths hardly moves between runs without drift
    String console = Sweeps.sweep(work, "--mock", "--profiles", "low", "--levels", "2", "--rounds", "4", "--output-len", "20",
        "--mock-time-scale", "0.5", "--repeat", "6", "--until-stable", "mean_tpot_ms:20", "--cooldown", "1",
        "--out", out.toString());
    assertTrue(console.contains("cooldown: 1 s before the next run"), "the rest between runs is said");
    assertTrue(console.matches("(?s).*stable after [2-5] runs: mean_tpot_ms within 20% of its mean at every level.*"),
        "the repeats stop once stable");
    int runs = (int) Stream.of(console.split("\n")).filter(l -> l.startsWith("=== profile low")).count();
    assertTrue(runs < 6, runs + " runs");
  }

  @Test
  void badRepeatOptionsAreOneLineBeforeAnythingIsArchived() throws Exception {
    Map<List<String>, String> expected = Map.of(
        List.of("--repeat", "0"), "error: --repeat must be 1 or more, not 0",
        List.of("--cooldown", "5"), "error: --cooldown applies to repeated runs: give --repeat N",
        List.of("--repeat", "3", "--until-stable", "p42_ttft_ms:5"), "error: --until-stable: 'p42_ttft_ms:5' is not "
            + "METRIC:PCT with METRIC one of request_throughput, output_throughput, total_token_throughput, "
            + "mean_ttft_ms, median_ttft_ms, p99_ttft_ms, mean_tpot_ms, median_tpot_ms, p99_tpot_ms, mean_itl_ms, "
            + "median_itl_ms, p99_itl_ms, mean_e2el_ms, median_e2el_ms, p99_e2el_ms (e.g. p99_ttft_ms:5)",
        List.of("--repeat", "1", "--until-stable", "p99_ttft_ms:5"), "error: --until-stable needs --repeat 2 or more "
            + "(the most runs it may take), not 1",
        List.of("--repeat", "2", "--confidence-level", "1.5"), "error: --confidence-level must be within 0..1 exclusive "
            + "(e.g. 0.95 or 95%), not '1.5'",
        List.of("--mock-run-drift", "150%"), "error: --mock-run-drift: '150%' is not a share within 0..1 (e.g. 5% or 0.05)");
    Sweeps.refusedBeforeAnything("badrepeat", List.of("--mock"), expected);
  }
}
