package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.testutil.Runs;
import llmbench.testutil.Tokenizers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chat prompts as the server counts them: with Mistral's SentencePiece tokenizer the ChatML template's
 * edges merge with a 100-token prompt's first and last tokens (the server counted 97..103 before each
 * prompt was checked against its /tokenize); now every prompt is exactly the profile's length. A
 * llama.cpp server adds Mistral's BOS to the templated text, which its /tokenize leaves out unless
 * asked: counted without it, every prompt was one token long.
 */
class ChatPromptIT {
  @ParameterizedTest
  @ValueSource(strings = {"vllm", "llamacpp"})
  void everyChatPromptHasTheServersExactCount(String family) throws Exception {
    Path mistral = Tokenizers.shared().stream().filter(p -> p.endsWith("mistral-7b")).findFirst().orElse(null);
    Assumptions.assumeTrue(mistral != null, "../shared/tokenizers/mistral-7b is not beside the checkout");
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path out = Files.createTempDirectory(work, "output");
    Path results = Files.createTempDirectory(work, "gatling");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(1))
        .tokenizerDir(mistral).chunkShape(family).build())) {
      assertEquals(0, Runs.smoke(Map.of("--url",
          mock.baseUrl(), "--tokenizer", mistral.toString(), "--endpoint", "chat", "--input-len", "100",
          "--output-len", "4", "--levels", "40", "--out", out.toString(), "--gatling-results", results.toString(),
          "--no-client-warmup", "true")));
    }
    JsonNode r = new ObjectMapper().readTree(out.resolve("llmbench-8b_100-4_40.json").toFile());
    for (JsonNode n : r.get("input_lens")) {
      assertEquals(100, n.asInt(), "the server's count of a chat prompt: " + r.get("input_lens"));
    }
    assertEquals(true, r.get("chat_prompts_checked_by_server").asBoolean());
    for (JsonNode w : r.get("warnings")) {
      assertEquals(false, w.asText().contains("counts the"), "a prompt-length warning: " + w);
    }
  }
}
