package llmbench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void hidesKeysAndTokensInACommandLine() {
    List<String> args = List.of("python3", "-m", "vllm.entrypoints.openai.api_server", "--model",
        "meta-llama/Llama-3-8B", "--api-key", "sk-abcdefghijklmnop", "--hf-token=hf_ABCDEFGHIJKLMNOP",
        "HF_TOKEN=hf_QRSTUVWXYZabcdef", "--max-num-batched-tokens", "8192", "--tokenizer", "/m/tok",
        "--max-model-len", "16384", "--header", "Bearer abc.def");
    List<String> red = Redactor.commandLine(args);
    String joined = String.join(" ", red);
    assertEquals(List.of("python3", "-m", "vllm.entrypoints.openai.api_server", "--model",
        "meta-llama/Llama-3-8B", "--api-key", "<redacted>", "--hf-token=<redacted>", "HF_TOKEN=<redacted>",
        "--max-num-batched-tokens", "8192", "--tokenizer", "/m/tok", "--max-model-len", "16384",
        "--header", "<redacted>"), red);
    assertFalse(joined.contains("sk-") || joined.contains("hf_"));
  }

  @Test
  void hidesSecretFieldsInJson() throws Exception {
    ObjectMapper m = new ObjectMapper();
    String in = "{\"model_path\":\"/m\",\"api_key\":\"s3cret\",\"admin_api_key\":null,"
        + "\"nested\":{\"hf_token\":\"hf_1234567890abcd\",\"max_total_tokens\":4096},\"note\":\"sk-1234567890abcdef\"}";
    String out = m.writeValueAsString(Redactor.json(m.readTree(in)));
    assertEquals("{\"model_path\":\"/m\",\"api_key\":\"<redacted>\",\"admin_api_key\":null,"
        + "\"nested\":{\"hf_token\":\"<redacted>\",\"max_total_tokens\":4096},\"note\":\"<redacted>\"}", out);
  }
}
