package llmbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import llmbench.diagnosis.ClientDiagnosis;
import llmbench.trace.RequestRecord;
import llmbench.trace.TraceFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A disturbed level says so in its result and under its block; a clean one does not. */
class ClientDiagnosisReportTest {
  @TempDir
  Path dir;

  private static RequestRecord request(String level, int i) {
    long start = 1_000_000_000L * (level.equals("c001") ? 1 : 5) + i * 1_000_000L;
    long[] chunks = {start + 20_000_000L, start + 30_000_000L, start + 40_000_000L};
    return new RequestRecord(level + "-" + i, "low", level, 1, 100, 3, start, chunks[2], 1_700_000_000_000L, chunks,
        100, 3, "abc", true, null);
  }

  private static ClientDiagnosis.Level level(double lagP99, double lagMax) {
    return new ClientDiagnosis.Level(1000, 30, 5, 0, 0, Map.of("event_loops", 25.0), 2, 100, 0.1, lagP99, lagMax,
        0.1, 0.2, ClientDiagnosis.disturbances(5, 0, lagP99, lagMax, 0.1, 0.2));
  }

  @Test
  void disturbedAndCleanLevels() throws Exception {
    try (SequenceWriter w = TraceFiles.writer(dir.resolve(TraceFiles.FILE_NAME))) {
      for (String l : List.of("c001", "c002")) {
        for (int i = 0; i < (l.equals("c001") ? 3 : 4); i++) { // 3 and 4 prompts: two result files
          w.write(request(l, i));
        }
      }
    }
    new RunInfo("low", "LowLoad", "http://mock", "org/model", "tok", "completions", 4096, 1_700_000_000_000L,
        List.of("ttft", "tpot", "itl", "e2el"), List.of(99.0), null, List.of(), Map.of(),
        Map.of("c001", new RunInfo.LevelInputs(3, 1, 0, level(12.5, 42)),
            "c002", new RunInfo.LevelInputs(4, 1, 0, level(0.4, 1.2))))
        .write(dir.resolve(RunInfo.FILE_NAME));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    List<llmbench.results.LevelResult> reports = PostProcessor.process(dir, null, new PrintStream(console, true, StandardCharsets.UTF_8),
        String::length);
    assertEquals(2, reports.size());
    ObjectMapper json = new ObjectMapper();
    JsonNode disturbed = json.readTree(dir.resolve(reports.get(0).fileName()).toFile());
    JsonNode clean = json.readTree(dir.resolve(reports.get(1).fileName()).toFile());
    assertTrue(disturbed.path("client_disturbed").asBoolean());
    assertFalse(clean.path("client_disturbed").asBoolean());
    assertEquals(12.5, disturbed.path("client_event_loop_lag_p99_ms").asDouble());
    assertEquals(0.2, disturbed.path("client_first_chunk_lag_max_ms").asDouble());
    assertEquals(42.0, disturbed.path("client_event_loop_lag_max_ms").asDouble());
    assertEquals(30.0, disturbed.path("client_cpu_ms").asDouble());
    assertEquals(30.0 * 1000 / 9, disturbed.path("client_cpu_us_per_chunk").asDouble(), 1e-9); // 3 requests x 3 chunks
    assertEquals(25.0, disturbed.path("client_cpu_by_thread_ms").path("event_loops").asDouble());
    assertTrue(disturbed.path("warnings").toString().contains("(p99 12.5 ms, up to 42.0 ms;"));
    assertFalse(clean.path("warnings").toString().contains("late"));
    String out = console.toString(StandardCharsets.UTF_8);
    assertEquals(1, out.split("warning: the client's event loops ran late as chunks came", -1).length - 1, out);
  }
}
