package llmbench.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BodyFieldsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theFieldsJoinEveryBodyAndTheRunsOwnStay(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("extra.json"), "{\"chat_template_kwargs\":{\"enable_thinking\":false}}");
    BodyFields f = BodyFields.parse("@" + file, 0.7, null, 40);
    RequestBodies bodies = new RequestBodies("m", true, false, f);
    JsonNode completion = JSON.readTree(bodies.completions("hello", 12));
    assertEquals(JSON.readTree("{\"model\":\"m\",\"max_tokens\":12,\"temperature\":0.7,\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true},\"ignore_eos\":true,\"min_tokens\":12,"
        + "\"chat_template_kwargs\":{\"enable_thinking\":false},\"top_k\":40,\"prompt\":\"hello\"}"), completion);
    JsonNode chat = JSON.readTree(bodies.chat("hi", java.util.List.of(), 5));
    assertEquals(false, chat.path("chat_template_kwargs").path("enable_thinking").booleanValue());
    assertEquals(5, chat.path("max_completion_tokens").asInt());
    // an answer of a shape (a schema, tools) ends where its grammar ends: no length is forced on it
    RequestBodies shaped = new RequestBodies("m", true, false, BodyFields.parse("{\"response_format\":"
        + "{\"type\":\"json_object\"}}", null, null, null));
    JsonNode s = JSON.readTree(shaped.completions("hello", 12));
    assertEquals("json_object", s.path("response_format").path("type").asText());
    assertEquals(false, s.has("ignore_eos") || s.has("min_tokens"), s.toString());
    // none given: vLLM's benchmark client's body, temperature 0
    assertEquals(0.0, JSON.readTree(RequestBodies.plain("m").completions("x", 1)).path("temperature").asDouble());
  }

  @Test
  void aFieldTheRunSetsIsRefusedNamingWhatSetsIt() {
    assertEquals("--extra-body sets stream, which the run (streamed) sets: leave it out",
        assertThrows(IllegalArgumentException.class, () -> BodyFields.parse("{\"stream\":false}", null, null, null))
            .getMessage());
    assertEquals("--top-k and --extra-body's top_k: give one",
        assertThrows(IllegalArgumentException.class, () -> BodyFields.parse("{\"top_k\":5}", null, null, 5)).getMessage());
    assertEquals("--temperature must be 0 or more, not -1.0",
        assertThrows(IllegalArgumentException.class, () -> BodyFields.parse(null, -1.0, null, null)).getMessage());
    assertEquals("--top-k must be -1 (all) or 1 or more, not 0",
        assertThrows(IllegalArgumentException.class, () -> BodyFields.parse(null, null, null, 0)).getMessage());
  }
}
