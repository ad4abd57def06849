package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import llmbench.cli.Cli;
import llmbench.cli.CompareMain;
import llmbench.testutil.Runs;
import llmbench.cli.SweepCommand;
import llmbench.gatling.sweep.GatlingLauncher;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two mock sweeps of the medium profile (32, 64 and 128 streams) that differ in one launch
 * parameter: the default max_num_seqs of 256, and 32, with which the levels of 64 and 128 must queue.
 */
class CompareIT {
  static Path work;
  static Path wide;
  static Path narrow;

  @BeforeAll
  static void sweeps() throws Exception {
    work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "compare");
    wide = work.resolve("seqs256");
    narrow = work.resolve("seqs32");
    for (Path out : List.of(wide, narrow)) {
      assertEquals(0, Cli.run(new SweepCommand(GatlingLauncher::run, false), "--mock", "--profiles", "medium", "--mock-time-scale", "0.3",
          "--mock-max-num-seqs", out == wide ? "256" : "32", "--out", out.toString(),
          "--nvidia-smi", work.resolve("no-nvidia-smi").toString(), "--gatling-results", work.resolve("gatling").toString()));
    }
  }

  private static List<CSVRecord> rows(Path csv) throws Exception {
    try (Reader r = Files.newBufferedReader(csv)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
    }
  }

  private static CSVRecord cell(List<CSVRecord> rows, String level, String metric, String run) {
    return rows.stream().filter(r -> r.get("level").equals(level) && r.get("metric").equals(metric)
        && r.get("run").equals(run)).findFirst().orElseThrow(() -> new AssertionError(level + " " + metric + " " + run));
  }

  @Test
  void fewerSequencesQueueTheWiderLevelsAndTheGateSaysSo() throws Exception {
    Path out = work.resolve("cmp");
    int status = Cli.run(new CompareMain(), wide.toString(), narrow.toString(), "--out", out.toString(),
        "--fail-if", "p99_ttft_ms>+10%");
    assertEquals(1, status, "the gate must fail: 64 and 128 streams wait for 32 running");
    List<CSVRecord> rows = rows(out.resolve("compare.csv"));
    for (String level : List.of("medium c064", "medium c128")) {
      CSVRecord ttft = cell(rows, level, "p99_ttft_ms", "seqs32");
      assertEquals("worse", ttft.get("verdict").split(",")[0], level + ": " + ttft);
      assertTrue(Double.parseDouble(ttft.get("change_pct")) > 50, level + ": " + ttft);
      assertTrue(Double.parseDouble(ttft.get("p_value")) < 0.001, level + ": " + ttft);
      assertTrue(Double.parseDouble(cell(rows, level, "output_throughput", "seqs32").get("change_pct")) < 0, level);
      assertEquals("worse", cell(rows, level, "mean_e2el_ms", "seqs32").get("verdict").split(",")[0], level); // half of them wait a whole batch
    }
    String md = Files.readString(out.resolve("compare.md"));
    assertTrue(md.contains("| **max_num_seqs** | 256 | 32 |"), "the one launch difference, from the mock's cache config");
    assertTrue(Files.isRegularFile(out.resolve("compare.html")));
  }

  @Test
  void aSweepAgainstItselfPassesTheGate() throws Exception {
    Path out = work.resolve("self");
    assertEquals(0, Cli.run(new CompareMain(), wide.toString(), wide.toString(), "--out", out.toString(),
        "--fail-if", "p99_ttft_ms>+10%,output_throughput<-5%"));
    for (CSVRecord r : rows(out.resolve("compare.csv"))) {
      if (r.get("run").equals("seqs256#2")) {
        assertEquals("within noise", r.get("verdict"), r.toString());
      }
    }
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertEquals(2, Cli.run(new CompareMain(), wide.toString()));
    assertEquals(2, Cli.run(new CompareMain(), wide.toString(), work.resolve("missing").toString()));
    assertEquals(2, Cli.run(new CompareMain(), wide.toString(), narrow.toString(), "--fail-if", "ttft>10"));
    assertEquals(2, Cli.run(new CompareMain(), "--baseline", wide.toString())); // nothing archived there
    String once = work.resolve("cmp-once").toString();
    assertEquals(0, Cli.run(new CompareMain(), wide.toString(), wide.toString(), "--out", once));
    assertEquals(2, Cli.run(new CompareMain(), wide.toString(), wide.toString(), "--out", once),
        "an earlier comparison is never overwritten");
  }
}
