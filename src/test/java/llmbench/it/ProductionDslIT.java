package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import llmbench.gatlinglog.SimulationLog;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.testutil.Runs;
import llmbench.trace.RequestRecord;
import llmbench.trace.TraceFiles;
import org.junit.jupiter.api.Test;

/** The DSL's requests as production sends them (ProductionLoad), against the mock's record. */
class ProductionDslIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode result(Path runDir, String name) throws Exception {
    try (Stream<Path> files = Files.list(runDir)) {
      return JSON.readTree(files.filter(p -> p.getFileName().toString().matches("llmbench-8b_" + name + "_\\d+\\.json"))
          .findFirst().orElseThrow(() -> new AssertionError("no result for " + name)).toFile());
    }
  }

  @Test
  void adaptersSchemasTheResponsesApiCancellationsAndEmbeddingsFromTheDsl() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "production");
    Path tok = BuiltinTokenizer.writeTo(Files.createDirectories(work.resolve("tok")));
    Path results = work.resolve("results");
    Path run;
    List<RequestRecord> records = new java.util.ArrayList<>();
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).keepTraces(true)
        .loraModules(List.of("sql", "chat")).build())) {
      assertEquals(0, Runs.gatlingTest("ProductionLoad", results, Map.of("url", mock.baseUrl(), "tokenizer",
          tok.getParent().toString())));
      try (Stream<Path> runs = Files.list(results)) {
        run = runs.filter(d -> Files.isRegularFile(d.resolve("simulation.log"))).findFirst().orElseThrow();
      }
      TraceFiles.forEach(run.resolve(TraceFiles.FILE_NAME), records::add);
      Map<String, Integer> models = new TreeMap<>();
      mock.groundTruth().bodies().stream().filter(b -> b.has("response_format"))
          .forEach(b -> models.merge(b.get("model").asText(), 1, Integer::sum));
      assertEquals(Map.of("chat", 4, "sql", 4), models, "the adapters in turn, as the mock received them");
      long embedTokens = records.stream().filter(r -> r.level().equals("embed"))
          .mapToLong(r -> mock.groundTruth().get(r.id()).promptTokens()).sum();
      JsonNode embed = result(run, "embed");
      assertEquals(8, embed.get("completed").asInt());
      assertEquals(embedTokens, embed.get("total_input_tokens").asLong(), "the input tokens the mock counted");
      for (RequestRecord r : records) {
        if (r.level().equals("respond") && !r.cancelled()) {
          assertEquals(mock.groundTruth().get(r.id()).completionTokens(), r.completionTokens(),
              "response.completed's usage, as the mock generated");
        }
      }
    }
    JsonNode extract = result(run, "extract");
    assertEquals(8, extract.get("answers_checked").asInt());
    assertEquals(1.0, extract.get("valid_fraction").asDouble(), "the mock's JSON objects");
    assertEquals(4, extract.get("per_model").get("sql").get("completed").asInt());
    assertEquals(4, extract.get("per_model").get("chat").get("completed").asInt());
    JsonNode respond = result(run, "respond");
    assertEquals(2, respond.get("cancelled").asInt(), "a quarter of 8");
    assertEquals(6, respond.get("completed").asInt());
    assertEquals(0, respond.get("failed").asInt());
    assertTrue(respond.get("mean_ttft_ms").asDouble() > 0);
    SimulationLog.Contents log = SimulationLog.read(run.resolve("simulation.log"));
    long cancelledKo = log.requests().stream().filter(q -> !q.ok() && q.message() != null
        && q.message().startsWith("cancelled by the client after")).count();
    assertEquals(2, cancelledKo, "Gatling's KO says the client cancelled");
  }
}
