package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import llmbench.cli.Cli;
import llmbench.cli.SweepCommand;
import llmbench.gatling.sweep.GatlingLauncher;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.prompt.BuiltinTokenizer;
import org.junit.jupiter.api.Test;

/** run_vision_test.sh with three images of two sizes in every request, against the mock's own record. */
class VisionMixIT {
  @Test
  void threeImagesOfTwoSizesReachTheServerAndTheirTokensAreCounted() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path tok = Files.createTempDirectory(work, "tokenizer");
    BuiltinTokenizer.writeTo(tok);
    Path out = Files.createTempDirectory(work, "output");
    List<GroundTruth.Trace> traces;
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(2)).keepTraces(true)
        .tokenizerDir(tok).build())) {
      assertEquals(0, Cli.runNamed(new SweepCommand(GatlingLauncher::run, true), "run_vision_test.sh", "--url",
          mock.baseUrl(), "--tokenizer", tok.toString(), "--image-sizes", "280x280,560x280", "--images-per-request", "3",
          "--profiles", "vision2", "--levels", "4", "--rounds", "3", "--no-client-warmup", "--out", out.toString(),
          "--gatling-results", work.resolve("gatling").toString()));
      traces = mock.groundTruth().all().stream().filter(t -> t.completionTokens() == 100).toList(); // the level's
    }
    assertEquals(12, traces.size());
    Set<String> sizes = new HashSet<>();
    Set<String> digests = new HashSet<>();
    int imageTokens = 0;
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (GroundTruth.Trace t : traces) {
      assertEquals(3, t.images().size(), "every request's three images");
      int tokens = 0;
      for (String image : t.images()) {
        String[] f = image.split(" ");
        sizes.add(f[0]);
        assertTrue(digests.add(f[2]), "an image sent twice");
        // Qwen2-VL, by hand: a 28-pixel patch a token; 280x280 is 10 x 10, 560x280 20 x 10
        tokens += f[0].equals("280x280") ? 100 : f[0].equals("560x280") ? 200 : -1_000_000;
      }
      assertEquals(100 + 5 + tokens, t.promptTokens(), "100 text tokens, ChatML's 5, the images'");
      imageTokens += tokens;
      min = Math.min(min, tokens);
      max = Math.max(max, tokens);
    }
    assertEquals(Set.of("280x280", "560x280"), sizes);
    Path dir = out.resolve("vision_280x280+560x280_k3");
    JsonNode r = new ObjectMapper().readTree(dir.resolve("llmbench-8b_100-100_12.json").toFile());
    assertEquals(imageTokens / 12.0, r.get("image_tokens_mean").asDouble(), 1e-9);
    assertEquals(min, r.get("image_tokens_min").asInt());
    assertEquals(max, r.get("image_tokens_max").asInt());
    assertEquals("3", r.get("images_per_request").asText());
    assertEquals(List.of("280x280", "560x280"), List.of(r.get("image_sizes").get(0).asText(), r.get("image_sizes").get(1).asText()));
  }
}
