package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.prompt.PromptBuilder;
import llmbench.prompt.TextTokenizer;
import llmbench.testutil.Runs;
import org.junit.jupiter.api.Test;

/** A JSONL dataset through the real simulation: the mock counts each prompt and output as the file has them. */
class DatasetIT {
  @Test
  void eachRequestSendsOneLineOfTheFile() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path tok = Files.createTempDirectory(work, "tokenizer");
    BuiltinTokenizer.writeTo(tok);
    Path out = Files.createTempDirectory(work, "output");
    Path results = Files.createTempDirectory(work, "gatling");
    Path file = Files.createTempDirectory(work, "dataset").resolve("traffic.jsonl");
    ObjectMapper json = new ObjectMapper();
    Map<Integer, Integer> outputByInput = new HashMap<>();
    StringBuilder lines = new StringBuilder();
    try (TextTokenizer t = TextTokenizer.builtin()) {
      PromptBuilder b = new PromptBuilder(t, 5);
      for (int i = 0; i < 12; i++) {
        int in = 20 + 7 * i; // distinct lengths: the result's input_lens name the lines sent
        lines.append(json.writeValueAsString(json.createObjectNode().put("prompt", b.build(in)).put("output_tokens", 5 + i)))
            .append('\n');
        outputByInput.put(in, 5 + i);
      }
    }
    Files.writeString(file, lines);
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(2)).tokenizerDir(tok)
        .build())) {
      assertEquals(0, Runs.smoke(Map.of("--url",
          mock.baseUrl(), "--tokenizer", tok.toString(), "--levels", "4", "--rounds", "2", "--dataset",
          "jsonl:" + file, "--out", out.toString(), "--gatling-results", results.toString(),
          "--no-client-warmup", "true")));
    }
    Path result = out.resolve("llmbench-8b_jsonl-traffic_8.json");
    assertTrue(Files.isRegularFile(result), "result file named for the dataset");
    JsonNode r = json.readTree(result.toFile());
    assertEquals("jsonl-traffic", r.get("dataset_name").asText());
    assertFalse(r.has("random_input_len"), "a file's prompts have no single input length");
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      int in = r.get("input_lens").get(i).asInt();
      assertTrue(outputByInput.containsKey(in), "a prompt of " + in + " tokens is not in the file");
      assertEquals(outputByInput.get(in).intValue(), r.get("output_lens").get(i).asInt(), "its line's output_tokens");
      assertTrue(seen.add(in), "a line sent twice although the file has enough");
    }
  }

  /** vLLM's custom multimodal lines: a prompt and its image files, sent on chat as they are. */
  @Test
  void imageFilesGoWithTheirPromptsOnChat() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path tok = Files.createTempDirectory(work, "tokenizer");
    BuiltinTokenizer.writeTo(tok);
    Path out = Files.createTempDirectory(work, "output");
    Path dir = Files.createTempDirectory(work, "images");
    ObjectMapper json = new ObjectMapper();
    Files.createDirectories(dir.resolve("img"));
    // line i: 1 + i % 3 images, each WIDTHx56 with a width of its own (the mock's record names the size)
    StringBuilder lines = new StringBuilder();
    Map<String, List<String>> sizesByPrompt = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      var files = json.createArrayNode();
      List<String> sizes = new java.util.ArrayList<>();
      for (int k = 0; k <= i % 3; k++) {
        int w = 56 * (1 + i) + 28 * k;
        Path png = dir.resolve("img").resolve("p" + i + "-" + k + ".png");
        Files.write(png, llmbench.prompt.NoiseImages.encode(llmbench.prompt.NoiseImages.noise(w, 56, i * 10 + k),
            llmbench.prompt.NoiseImages.Format.PNG));
        files.add("img/" + png.getFileName());
        sizes.add(w + "x56 image/png");
      }
      String prompt = "describe picture " + i;
      sizesByPrompt.put(prompt, sizes);
      lines.append(json.writeValueAsString(json.createObjectNode().put("prompt", prompt).put("output_tokens", 4)
          .set("image_files", files))).append('\n');
    }
    Path file = Files.writeString(dir.resolve("pictures.jsonl"), lines);
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(2)).keepTraces(true)
        .tokenizerDir(tok).build())) {
      assertEquals(0, Runs.smoke(Map.of("--url", mock.baseUrl(), "--tokenizer", tok.toString(), "--levels", "3",
          "--rounds", "2", "--dataset", "jsonl:" + file, "--endpoint", "chat", "--out", out.toString(),
          "--gatling-results", Files.createTempDirectory(work, "gatling").toString(), "--no-client-warmup", "true",
          "--warmup-requests", "0")));
      List<JsonNode> bodies = mock.groundTruth().bodies();
      List<GroundTruth.Trace> traces = mock.groundTruth().all();
      assertEquals(7, traces.size(), "the preflight and 6 requests");
      Set<String> prompts = new HashSet<>();
      for (JsonNode b : bodies) {
        JsonNode content = b.get("messages").get(0).get("content");
        String prompt = content.get(0).get("text").asText();
        prompts.add(prompt);
        assertEquals(sizesByPrompt.get(prompt).size() + 1, content.size(), "its text and each of its images");
      }
      assertEquals(sizesByPrompt.keySet(), prompts, "every line sent");
      for (GroundTruth.Trace t : traces) {
        List<String> got = t.images().stream().map(x -> x.substring(0, x.lastIndexOf(' '))).toList();
        assertTrue(sizesByPrompt.containsValue(got), "images as the files hold them, in order: " + got);
      }
    }
  }
}
