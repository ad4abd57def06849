package llmbench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.prompt.RequestBodies;
import org.junit.jupiter.api.Test;

/** Each family as its own endpoints show it, and what the requests then carry. */
class FamilyTest {
  /** A server answering only these GETs (200, the body), 404 otherwise. */
  private static Family.Kind detect(Map<String, String> answers) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext("/", ex -> {
      String body = answers.get(ex.getRequestURI().getPath());
      byte[] b = (body == null ? "not found" : body).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(body == null ? 404 : 200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    s.start();
    try {
      return Family.detect(new ServerClient("http://127.0.0.1:" + s.getAddress().getPort(), null, llmbench.tls.Tls.VERIFY));
    } finally {
      s.stop(0);
    }
  }

  @Test
  void eachFamilyByItsOwnEndpoint() throws Exception {
    assertEquals(Family.SGLANG, detect(Map.of("/server_info", "{\"context_length\": 4096}")).family());
    assertEquals(Family.LLAMACPP, detect(Map.of("/props", "{\"default_generation_settings\": {\"n_ctx\": 4096}}")).family());
    assertEquals(Family.TGI, detect(Map.of("/info", "{\"model_id\": \"m\", \"max_total_tokens\": 4096}")).family());
    assertEquals(Family.VLLM, detect(Map.of("/version", "{\"version\": \"0.11.0\"}")).family());
    assertEquals(Family.UNKNOWN, detect(Map.of()).family());
    Family.Kind spec = detect(Map.of("/version", "{\"version\": \"0.11.0\"}", "/metrics",
        "vllm:spec_decode_num_drafts_total{model_name=\"m\"} 3.0\n"));
    assertTrue(spec.specDecode());
  }

  @Test
  void theMockNamesTheFamilyItPlays() {
    for (String shape : new String[] {"vllm", "sglang", "llamacpp", "tgi"}) {
      try (MockServer mock = MockServer.start(MockConfig.builder().port(0).chunkShape(shape).build())) {
        Family.Kind k = Family.detect(new ServerClient(mock.baseUrl(), null, llmbench.tls.Tls.VERIFY));
        assertEquals(shape, k.family().name().toLowerCase(), shape);
        assertFalse(k.specDecode(), shape);
      }
    }
  }

  @Test
  void minTokensAndPerChunkUsageGoOnlyWhereAsked() {
    String plain = new String(RequestBodies.plain("m").completions("hi", 7), StandardCharsets.UTF_8);
    assertFalse(plain.contains("min_tokens") || plain.contains("continuous_usage_stats"), plain);
    String both = new String(new RequestBodies("m", true, true, llmbench.prompt.BodyFields.NONE).chat("hi", java.util.List.of(), 7), StandardCharsets.UTF_8);
    assertTrue(both.contains("\"min_tokens\":7") && both.contains("\"continuous_usage_stats\":true"), both);
    assertTrue(Family.VLLM.takesMinTokens() && Family.SGLANG.takesMinTokens());
    assertFalse(Family.LLAMACPP.takesMinTokens() || Family.TGI.takesMinTokens() || Family.UNKNOWN.takesMinTokens());
  }
}
