package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import llmbench.mock.Faults;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.testutil.GatlingRuns;
import llmbench.testutil.Sweeps;
import llmbench.trace.RequestRecord;
import org.junit.jupiter.api.Test;

/**
 * Structured output and tool calls against the mock: every answer judged against the schema it was
 * asked to follow (the mock's own record says which answers it broke), tool-call deltas read in each
 * server family's shape with the token counts the mock recorded, and bad shapes refused in one line.
 */
class ShapedAnswersIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
      + "\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":14},\"unit\":{\"enum\":[\"C\",\"F\"]}},"
      + "\"required\":[\"city\",\"days\",\"unit\"],\"additionalProperties\":false}";

  @Test
  void theValidFractionIsTheMocksUnbrokenAnswersAndParseableIsNotValid() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "schema");
    Path schema = Files.writeString(work.resolve("weather.json"), SCHEMA);
    Path out = work.resolve("out");
    Faults invalid = Faults.of("--fault-rate", Map.of("invalid", 0.1), 0, 0);
    List<RequestRecord> records;
    GroundTruth truth;
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.1).seed(5).faults(invalid)
        .keepTraces(true).build())) {
      Sweeps.sweep(work, "--url", mock.baseUrl(), "--profiles", "low", "--levels", "4", "--rounds", "50",
          "--response-format", "json_schema:" + schema.toAbsolutePath(), "--seed", "3", "--out", out.toString());
      truth = mock.groundTruth();
      records = GatlingRuns.measured(work.resolve("gatling"));
      assertEquals(200, records.size());
      int broken = 0;
      for (RequestRecord r : records) {
        GroundTruth.Trace t = truth.get(r.id());
        assertNotNull(t, r.id());
        boolean mockBrokeIt = t.fault().equals("INVALID");
        broken += mockBrokeIt ? 1 : 0;
        assertTrue(r.success(), "a failed validation is not a failed request: " + r.error());
        assertEquals(!mockBrokeIt, r.valid(), r.generatedText() + " " + r.invalidWhy());
        JsonNode answer = JSON.readTree(r.generatedText()); // broken or not, it parses
        assertTrue(answer.isObject());
        if (mockBrokeIt) {
          assertTrue(r.invalidWhy().startsWith("JSON that breaks the schema: "), r.invalidWhy());
        }
      }
      JsonNode res = llmbench.testutil.Results.mockLevel(out);
      assertEquals(200, res.get("answers_checked").asInt());
      assertEquals(200 - broken, res.get("answers_valid").asInt());
      double fraction = res.get("valid_fraction").asDouble();
      assertEquals(0.90, fraction, 0.05, "10 % broken by the mock");
      assertEquals(Map.of("JSON that breaks the schema", broken),
          JSON.convertValue(res.get("invalid_by_reason"), Map.class));
      assertEquals(0, res.get("failed").asInt());
      assertTrue(res.get("median_ttft_ms_valid").asDouble() > 0);
      // the request asked for the schema, and no length was forced on the answer
      for (JsonNode b : mock.groundTruth().bodies()) {
        assertEquals(JSON.readTree(SCHEMA), b.at("/response_format/json_schema/schema"));
        assertFalse(b.has("ignore_eos") || b.has("min_tokens"), b.toString());
      }
      assertTrue(res.get("warnings") == null || !res.get("warnings").toString().contains("another length"),
          "a shaped answer's length is its own: " + res.get("warnings"));
    }
  }

  @Test
  void toolCallDeltasInEachFamilysShapeCountAsTheMockRecorded() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "tools");
    Path tools = Files.writeString(work.resolve("tools.json"), "[{\"type\":\"function\",\"function\":{\"name\":"
        + "\"get_weather\",\"parameters\":" + SCHEMA + "}},{\"type\":\"function\",\"function\":{\"name\":\"search\","
        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}}}]");
    for (String shape : List.of("vllm", "sglang", "llamacpp")) {
      Path dir = Files.createDirectories(work.resolve(shape));
      Path out = dir.resolve("out");
      try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.1).chunkShape(shape)
          .keepTraces(true).build())) {
        Sweeps.sweep(dir, "--url", mock.baseUrl(), "--profiles", "low", "--levels", "2", "--rounds", "5",
            "--endpoint", "chat", "--tools", tools.toAbsolutePath().toString(), "--tool-choice", "get_weather",
            "--out", out.toString());
        List<RequestRecord> records = GatlingRuns.measured(dir.resolve("gatling"));
        assertEquals(10, records.size(), shape);
        for (RequestRecord r : records) {
          GroundTruth.Trace t = mock.groundTruth().get(r.id());
          assertTrue(r.success(), shape + ": " + r.error());
          assertEquals(t.completionTokens(), r.completionTokens(), shape + ": the usage's count, as the mock's record");
          assertEquals(t.choiceChunkNs().length, r.chunkNs().length, shape + ": every delta with a choice, as sent");
          assertTrue(r.valid(), shape + ": " + r.invalidWhy());
          assertTrue(r.toolCallNs() >= r.chunkNs()[0] && r.toolCallNs() > r.startNs(), shape);
        }
        JsonNode res = llmbench.testutil.Results.mockLevel(out);
        assertEquals(10, res.get("tool_call_answers").asInt(), shape);
        assertEquals(1.0, res.get("valid_fraction").asDouble(), shape);
        assertTrue(res.get("median_ttftc_ms").asDouble() > 0, shape);
        long tokens = records.stream().mapToLong(RequestRecord::completionTokens).sum();
        assertEquals(tokens, res.get("total_output_tokens").asLong(), shape + ": tool-call tokens are output tokens");
      }
    }
  }

  @Test
  void badShapesAreOneLineBeforeAnythingIsArchived() throws Exception {
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "badshape");
    Path notSchema = Files.writeString(dir.resolve("not-a-schema.json"), "{\"type\":\"object\",\"properties\":[]}");
    Path tools = Files.writeString(dir.resolve("tools.json"), "[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]");
    Sweeps.refusedBeforeAnything("badshape", List.of("--mock"), Map.of(
        List.of("--response-format", "json_schema:" + notSchema.toAbsolutePath()),
        "error: --response-format json_schema:" + notSchema.toAbsolutePath() + " is not a JSON Schema: "
            + "/properties: array found, object expected",
        List.of("--response-format", "xml"), "error: --response-format must be json_schema:FILE, json_object, "
            + "regex:PATTERN or choice:A,B,C, not 'xml'",
        List.of("--tools", tools.toAbsolutePath().toString()), "error: --tools are offered in chat requests: give "
            + "--endpoint chat",
        List.of("--extra-body", "{\"response_format\":{\"type\":\"json_object\"}}", "--response-format", "json_object"),
        "error: --response-format and --extra-body's response_format: give one"));
  }
}
