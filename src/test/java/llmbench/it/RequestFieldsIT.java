package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.testutil.Sweeps;
import org.junit.jupiter.api.Test;

/**
 * {@code --extra-body} and the sampling shortcuts: in the body of every request the mock received (its
 * own record), in each result and in engine_params.txt; a field the run sets itself, or JSON that is
 * not an object of fields, refused in one line.
 */
class RequestFieldsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyRequestCarriesTheExtraFields() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "fields");
    Path out = work.resolve("out");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).keepTraces(true).build())) {
      String console = Sweeps.sweep(work, "--url", mock.baseUrl(), "--profiles", "low", "--levels", "2", "--rounds", "2",
          "--output-len", "10", "--extra-body", "{\"chat_template_kwargs\":{\"enable_thinking\":false},\"seed\":7}",
          "--temperature", "0.6", "--top-p", "0.9", "--top-k", "20", "--header", "X-Tenant: team-a",
          "--header", "X-Api-Key:sk-secretsecret42", "--out", out.toString());
      // the headers went with every request: the discovery's, the preflight's, the server's metrics, each level's
      for (String path : List.of("/v1/models", "/v1/completions", "/metrics")) {
        assertTrue(mock.requests(path) > 0, path);
        assertEquals(mock.requests(path), mock.requests(path, "X-Tenant", "team-a"), path);
        assertEquals(mock.requests(path), mock.requests(path, "X-Api-Key", "sk-secretsecret42"), path);
      }
      assertTrue(!console.contains("secretsecret42"), "the key-like header's value on the console");
      List<JsonNode> bodies = mock.groundTruth().bodies();
      // the mock keeps the bodies of the requests sent with an id: every one but the preflight
      assertEquals(mock.requests("/v1/completions") - 1, bodies.size());
      assertEquals(2 + 4, bodies.size(), "the warm-up's and the level's");
      for (JsonNode b : bodies) {
        assertEquals(false, b.path("chat_template_kwargs").path("enable_thinking").booleanValue(), b.toString());
        assertEquals(7, b.path("seed").intValue());
        assertEquals(0.6, b.path("temperature").doubleValue());
        assertEquals(0.9, b.path("top_p").doubleValue());
        assertEquals(20, b.path("top_k").intValue());
        assertTrue(b.path("stream").booleanValue(), "the run's own fields stay");
      }
      for (JsonNode b : bodies.subList(2, 6)) {
        assertEquals(10, b.path("max_tokens").intValue(), "the level's own --output-len");
      }
    }
    JsonNode result;
    try (Stream<Path> s = Files.list(out)) {
      result = JSON.readTree(s.filter(p -> p.getFileName().toString().startsWith("llmbench-8b_")).findFirst()
          .orElseThrow().toFile());
    }
    assertEquals(JSON.readTree("{\"chat_template_kwargs\":{\"enable_thinking\":false},\"seed\":7,\"temperature\":0.6,"
        + "\"top_p\":0.9,\"top_k\":20}"), result.get("extra_body"));
    assertEquals(JSON.readTree("{\"X-Tenant\":\"team-a\",\"X-Api-Key\":\"<redacted>\"}"), result.get("request_headers"));
    assertTrue(Files.readString(out.resolve("engine_params.txt")).contains("request headers beyond the run's own "
        + "(--header): {X-Tenant=team-a, X-Api-Key=<redacted>}"));
    try (Stream<Path> all = Files.walk(work)) { // the results, and Gatling's run folders and logs
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        assertTrue(!Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).contains("secretsecret42"), f + " holds the key");
      }
    }
    assertTrue(Files.readString(out.resolve("engine_params.txt")).contains("request fields beyond the run's own "
        + "(--extra-body, --temperature, --top-p, --top-k): {\"chat_template_kwargs\":{\"enable_thinking\":false},"
        + "\"seed\":7,\"temperature\":0.6,\"top_p\":0.9,\"top_k\":20}"));
  }

  @Test
  void badFieldsAreOneLineBeforeAnythingIsArchived() throws Exception {
    Sweeps.refusedBeforeAnything("badfields", List.of("--mock"), Map.of(
        List.of("--extra-body", "{\"chat_template_kwargs\":"), "error: --extra-body: not JSON (Unexpected end-of-input "
            + "within/between Object entries)",
        List.of("--extra-body", "[1,2]"), "error: --extra-body: a JSON object of fields is needed, e.g. "
            + "'{\"chat_template_kwargs\":{\"enable_thinking\":false}}'",
        List.of("--extra-body", "{\"max_tokens\":5}"), "error: --extra-body sets max_tokens, which --output-len sets: "
            + "leave it out",
        List.of("--extra-body", "{\"temperature\":1}"), "error: --extra-body sets temperature, which --temperature "
            + "sets: leave it out and give --temperature",
        List.of("--extra-body", "@/nonexistent.json"), "error: --extra-body @/nonexistent.json: cannot read the file "
            + "(/nonexistent.json)",
        List.of("--top-p", "2"), "error: --top-p must be above 0 and at most 1, not 2.0",
        List.of("--header", "Content-Type: text/plain"), "error: --header Content-Type: the run sets it itself",
        List.of("--header", "Authorization sk-abcdefghijkl"), "error: --header '<redacted>': not NAME:VALUE (e.g. X-Tenant:a)"));
  }
}
