package llmbench.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import llmbench.prompt.TextTokenizer;
import llmbench.testutil.Http;
import llmbench.testutil.Tokenizers;
import org.junit.jupiter.api.Test;

/** The mock counts prompt tokens as a server with the same tokenizer.json would, special tokens included. */
class TokenCountTest {
  @Test
  void countsWithTheRealTokenizersWhenPresent() throws Exception {
    String text = "Hello, world! The quick brown fox jumps over the lazy dog. 12345 ünïcödé 你好";
    for (Path dir : Tokenizers.sharedOrSkip()) {
      try (MockServer mock = MockServer.start(MockConfig.builder().port(0).tokenizerDir(dir)
              .stepModel(StepModel.fixed(1)).build());
          TextTokenizer tok = TextTokenizer.load(dir)) {
        ObjectNode body = new ObjectMapper().createObjectNode().put("prompt", text).put("max_tokens", 1)
            .put("ignore_eos", true);
        int served = new ObjectMapper().readTree(Http.post(mock.baseUrl() + "/v1/completions",
            body.toString()).body()).get("usage").get("prompt_tokens").asInt();
        assertEquals(tok.count(text, true), served, dir.toString());
        if (dir.endsWith("mistral-7b")) {
          assertEquals(tok.count(text, false) + 1, served, "Mistral adds BOS");
        }
      }
    }
  }
}
