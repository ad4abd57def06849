package llmbench.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import llmbench.testutil.Http;
import llmbench.testutil.SseParser;
import llmbench.testutil.SseParser.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MockServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static MockServer mock;
  static String url;

  @BeforeAll
  static void start() {
    mock = MockServer.start(MockConfig.builder().port(0).maxModelLen(2048)
        .stepModel(StepModel.fixed(1)).keepTraces(true).build());
    url = mock.baseUrl();
  }

  @AfterAll
  static void stop() {
    mock.close();
  }

  static String completion(int maxTokens, boolean stream) {
    return "{\"model\":\"mock/llmbench-8b\",\"prompt\":\"ba be bi\",\"max_tokens\":" + maxTokens
        + ",\"stream\":" + stream + ",\"stream_options\":{\"include_usage\":true},\"ignore_eos\":true}";
  }

  static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void servesVllmInfoEndpoints() throws Exception {
    JsonNode models = json(Http.get(url + "/v1/models").body());
    JsonNode m = models.get("data").get(0);
    assertEquals("mock/llmbench-8b", m.get("id").asText());
    assertEquals("mock/llmbench-8b", m.get("root").asText());
    assertEquals("vllm", m.get("owned_by").asText());
    assertEquals(2048, m.get("max_model_len").asInt());
    assertEquals(200, Http.get(url + "/health").statusCode());
    assertTrue(json(Http.get(url + "/version").body()).has("version"));
    JsonNode tok = json(Http.post(url + "/tokenize", "{\"prompt\":\"ba be bi\"}").body());
    assertEquals(4, tok.get("count").asInt()); // BOS + 3 words
    assertEquals(2048, tok.get("max_model_len").asInt());
    assertEquals(4, tok.get("tokens").size());
    JsonNode detok = json(Http.post(url + "/detokenize", "{\"tokens\":" + tok.get("tokens") + "}").body());
    assertEquals("ba be bi", detok.get("prompt").asText());
  }

  @Test
  void streamsCompletionsInVllmShape() throws Exception {
    HttpResponse<String> res = Http.post(url + "/v1/completions", completion(5, true));
    assertEquals(200, res.statusCode());
    assertTrue(res.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<Event> events = SseParser.parse(res.body());
    assertEquals(7, events.size()); // 5 tokens, usage, [DONE]
    for (int i = 0; i < 5; i++) {
      JsonNode c = json(events.get(i).data());
      assertEquals("text_completion", c.get("object").asText());
      assertFalse(c.get("choices").get(0).get("text").asText().isEmpty());
      assertEquals(i == 4 ? "length" : null, c.get("choices").get(0).get("finish_reason").textValue());
    }
    JsonNode usage = json(events.get(5).data());
    assertEquals(0, usage.get("choices").size());
    assertEquals(4, usage.get("usage").get("prompt_tokens").asInt());
    assertEquals(5, usage.get("usage").get("completion_tokens").asInt());
    assertEquals("[DONE]", events.get(6).data());
  }

  @Test
  void streamsChatWithRoleChunkFirst() throws Exception {
    String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"ba be\"}],\"max_completion_tokens\":3,"
        + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"ignore_eos\":true}";
    List<Event> events = SseParser.parse(Http.post(url + "/v1/chat/completions", body).body());
    assertEquals(6, events.size()); // role, 3 deltas, usage, [DONE]
    JsonNode role = json(events.get(0).data()).get("choices").get(0).get("delta");
    assertEquals("assistant", role.get("role").asText());
    assertEquals("chat.completion.chunk", json(events.get(1).data()).get("object").asText());
    assertEquals("length", json(events.get(3).data()).get("choices").get(0).get("finish_reason").asText());
    JsonNode usage = json(events.get(4).data()).get("usage");
    assertEquals(3, usage.get("completion_tokens").asInt());
    // ChatML: <|im_start|> user ba be <|im_end|> <|im_start|> assistant
    int expected = 7;
    assertEquals(expected, usage.get("prompt_tokens").asInt());
    assertEquals("[DONE]", events.get(5).data());
  }

  @Test
  void answersWithoutStreamingAndAcceptsTokenIds() throws Exception {
    JsonNode r = json(Http.post(url + "/v1/completions",
        "{\"prompt\":[5,6,7,8,9],\"max_tokens\":4,\"ignore_eos\":true}").body());
    assertEquals(5, r.get("usage").get("prompt_tokens").asInt()); // no BOS added to token ids
    assertEquals(4, r.get("usage").get("completion_tokens").asInt());
    assertEquals("length", r.get("choices").get(0).get("finish_reason").asText());
  }

  @Test
  void defaultsToSixteenTokensForCompletions() throws Exception {
    JsonNode r = json(Http.post(url + "/v1/completions", "{\"prompt\":\"ba\",\"ignore_eos\":true}").body());
    assertEquals(16, r.get("usage").get("completion_tokens").asInt());
  }

  @Test
  void rejectsWhatVllmRejects() throws Exception {
    StringBuilder longPrompt = new StringBuilder();
    for (int i = 0; i < 2100; i++) {
      longPrompt.append("ba ");
    }
    HttpResponse<String> tooLong = Http.post(url + "/v1/completions",
        "{\"prompt\":\"" + longPrompt + "\",\"max_tokens\":1}");
    assertEquals(400, tooLong.statusCode());
    JsonNode err = json(tooLong.body()).get("error");
    assertEquals("BadRequestError", err.get("type").asText());
    assertTrue(err.get("message").asText().contains("maximum context length is 2048"));

    HttpResponse<String> tooMany = Http.post(url + "/v1/completions", completion(4000, false));
    assertEquals(400, tooMany.statusCode());
    assertTrue(json(tooMany.body()).get("error").get("message").asText().contains("'max_tokens'"));

    HttpResponse<String> model = Http.post(url + "/v1/completions", "{\"model\":\"other\",\"prompt\":\"ba\"}");
    assertEquals(404, model.statusCode());
    assertTrue(json(model.body()).get("error").get("message").asText().contains("`other` does not exist"));

    HttpResponse<String> badImage = Http.post(url + "/v1/chat/completions", chatWithImage("data:image/png;base64,AAAA"));
    assertEquals(400, badImage.statusCode());
  }

  static String chatWithImage(String dataUrl) {
    return "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"ba\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + dataUrl + "\"}}]}],\"max_tokens\":1}";
  }

  @Test
  void countsImageTokensByQwen2VlRule() throws Exception {
    BufferedImage img = new BufferedImage(512, 512, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(img, "png", png);
    String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    JsonNode r = json(Http.post(url + "/v1/chat/completions", chatWithImage(dataUrl)).body());
    int text = 6; // <|im_start|> user ba <|im_end|> <|im_start|> assistant
    // 512 px -> 504 px (18 patches of 28) per side: 18 × 18 = 324 image tokens
    assertEquals(text + 324, r.get("usage").get("prompt_tokens").asInt());
    assertEquals(324, ImageTokens.tokens(512, 512, 56 * 56, 28 * 28 * 1280));
    // 4096² is over max_pixels: beta = sqrt(4096² / 1003520) = 4.089, 4096 / beta = 1001.8 px,
    // floored to 35 patches per side: 1225 tokens
    assertEquals(1225, ImageTokens.tokens(4096, 4096, 56 * 56, 28 * 28 * 1280));
  }

  @Test
  void recordsGroundTruthPerRequest() throws Exception {
    Http.post(url + "/v1/completions", completion(6, true), Map.of("X-Request-Id", "gt-1"));
    // the mock records a request just after its last bytes leave, so the client may be first
    GroundTruth.Trace t = null;
    for (int i = 0; i < 100 && t == null; i++) {
      t = mock.groundTruth().get("gt-1");
      if (t == null) {
        Thread.sleep(10);
      }
    }
    assertNotNull(t);
    assertEquals(6, t.completionTokens());
    assertEquals(6, t.choiceChunkNs().length);
    assertEquals("ok", t.outcome());
    for (int i = 0; i < 6; i++) {
      assertTrue(t.tokenSentNs()[i] >= t.tokenDueNs()[i]);
      assertTrue(t.tokenDueNs()[i] > t.arrivalNs());
    }
  }

  @Test
  void exposesPrometheusMetricsWithVllmNames() throws Exception {
    Http.post(url + "/v1/completions", completion(2, false));
    String m = Http.get(url + "/metrics").body();
    for (String name : List.of("vllm:num_requests_running", "vllm:num_requests_waiting",
        "vllm:kv_cache_usage_perc", "vllm:num_preemptions_total", "vllm:prompt_tokens_total",
        "vllm:generation_tokens_total", "vllm:time_to_first_token_seconds_bucket", "vllm:cache_config_info{")) {
      assertTrue(m.contains(name), name);
    }
    double generated = m.lines().filter(l -> l.startsWith("vllm:generation_tokens_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    assertTrue(generated >= 2);
  }

  @Test
  void guardsV1WithTheApiKeyOnly() throws Exception {
    try (MockServer guarded = MockServer.start(MockConfig.builder().port(0).apiKey("s3cret")
        .stepModel(StepModel.fixed(1)).build())) {
      String u = guarded.baseUrl();
      HttpResponse<String> denied = Http.post(u + "/v1/completions", completion(1, false));
      assertEquals(401, denied.statusCode());
      assertEquals("Unauthorized", json(denied.body()).get("error").asText());
      assertEquals(401, Http.get(u + "/v1/models").statusCode());
      assertEquals(200, Http.get(u + "/health").statusCode());
      assertEquals(200, Http.get(u + "/metrics").statusCode());
      HttpResponse<String> ok = Http.post(u + "/v1/completions", completion(1, false),
          Map.of("Authorization", "Bearer s3cret"));
      assertEquals(200, ok.statusCode());
    }
  }

  @Test
  void noFaultUnlessAsked() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertEquals(200, Http.post(url + "/v1/completions", completion(1, false)).statusCode());
    }
    assertNull(Faults.parseHeader(null));
  }
}
