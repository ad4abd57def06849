package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.testutil.Runs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** VisionProfile2 (levels 1 and 8, 256×256 JPEG) run by Gatling in this JVM against the mock. */
class VisionIT {
  static MockServer mock;
  static Path out;

  @BeforeAll
  static void run() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path tok = Files.createTempDirectory(work, "vtok");
    BuiltinTokenizer.writeTo(tok);
    out = Files.createTempDirectory(work, "vout");
    Path results = Files.createTempDirectory(work, "vgatling");
    mock = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(2)).keepTraces(true)
        .tokenizerDir(tok).build());
    // as mvn gatling:test runs it: -Dllm.* through the adapter
    Map<String, String> props = Map.of("llm.url", mock.baseUrl(), "llm.tokenizer", tok.toString(),
        "llm.levels", "1,8", "llm.out", out.toString(), "llm.gatlingResults", results.toString(),
        "llm.imageWidth", "256", "llm.imageHeight", "256", "llm.imageFormat", "jpeg");
    assertEquals(0, Runs.gatlingTest("VisionProfile2", results, props));
  }

  @AfterAll
  static void stop() {
    mock.close();
  }

  @Test
  void inputLengthsAreTextPlusTemplatePlusTheMocksImageTokens() throws Exception {
    Path dir = out.resolve("vision_256x256");
    for (int n : new int[] {1, 8}) {
      JsonNode r = new ObjectMapper().readTree(dir.resolve("llmbench-8b_100-100_" + n + ".json").toFile());
      assertEquals(n, r.get("completed").asInt());
      // 256 px rounds to 252 = 9 patches of 28 per side: 81 image tokens (Qwen2-VL rule, by hand);
      // ChatML around 100 text words: <|im_start|> user ... <|im_end|> <|im_start|> assistant -> 100 + 5
      int expected = 100 + 5 + 81;
      r.get("input_lens").forEach(v -> assertEquals(expected, v.asInt()));
      assertEquals(81, r.get("image_tokens_per_request").asInt());
      assertEquals(100, r.get("text_tokens").asInt());
      assertEquals(256, r.get("image_width").asInt());
      assertEquals("jpeg", r.get("image_format").asText());
      r.get("output_lens").forEach(v -> assertEquals(100, v.asInt()));
      assertTrue(r.get("inputs_built_at_epoch_ms").asLong() <= r.get("level_start_epoch_ms").asLong(),
          "images were built after the level started");
    }
  }

  @Test
  void everyRequestCarriedItsOwnImageOfTheRightSize() {
    List<GroundTruth.Trace> traces = mock.groundTruth().all();
    Set<String> digests = new HashSet<>();
    int requests = 0;
    for (GroundTruth.Trace t : traces) {
      for (String image : t.images()) {
        String[] f = image.split(" ");
        assertEquals("256x256", f[0]);
        assertEquals("image/jpeg", f[1]);
        assertTrue(digests.add(f[2]), "an image was sent twice");
      }
      requests++;
    }
    assertEquals(1 + 2 + 1 + 8, requests); // preflight, 2 warm-up, then levels 1 and 8
  }
}
