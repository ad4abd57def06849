package llmbench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import org.junit.jupiter.api.Test;

/** Discovery against the mock and against canned SGLang, llama.cpp and TGI answers. */
class DiscoveryTest {
  /** A server that answers only the given paths with the given JSON. */
  static HttpServer canned(Map<String, String> answers) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext("/", ex -> {
      String body = answers.get(ex.getRequestURI().getPath());
      byte[] bytes = (body == null ? "{\"detail\":\"Not Found\"}" : body).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
      ex.getResponseBody().write(bytes);
      ex.close();
    });
    s.start();
    return s;
  }

  static Discovery.Result discover(Map<String, String> answers, Integer override) throws IOException {
    HttpServer s = canned(answers);
    try {
      return Discovery.discover(new ServerClient("http://127.0.0.1:" + s.getAddress().getPort(), null, llmbench.tls.Tls.VERIFY), null, override);
    } finally {
      s.stop(0);
    }
  }

  static final String MODELS = "{\"object\":\"list\",\"data\":[{\"id\":\"org/m\",\"object\":\"model\"}]}";

  @Test
  void vllmMockTellsItsContext() {
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).maxModelLen(8192).build())) {
      Discovery.Result r = Discovery.discover(new ServerClient(mock.baseUrl(), null, llmbench.tls.Tls.VERIFY), null, null);
      assertEquals("mock/llmbench-8b", r.modelId());
      assertEquals(8192, r.maxModelLen());
      assertEquals("/v1/models max_model_len", r.maxModelLenSource());
    }
  }

  @Test
  void sglangServerInfo() throws IOException {
    Discovery.Result r = discover(Map.of("/v1/models", MODELS,
        "/server_info", "{\"model_path\":\"org/m\",\"context_length\":32768,\"api_key\":null}"), null);
    assertEquals(32768, r.maxModelLen());
    assertEquals("/server_info context_length", r.maxModelLenSource());
  }

  @Test
  void llamaCppProps() throws IOException {
    Discovery.Result r = discover(Map.of("/v1/models", MODELS,
        "/props", "{\"default_generation_settings\":{\"n_ctx\":4096},\"model_path\":\"/m.gguf\"}"), null);
    assertEquals(4096, r.maxModelLen());
  }

  @Test
  void tgiInfo() throws IOException {
    Discovery.Result r = discover(Map.of("/v1/models", MODELS,
        "/info", "{\"max_input_tokens\":4095,\"max_total_tokens\":4096}"), null);
    assertEquals(4096, r.maxModelLen());
    assertEquals("/info max_total_tokens", r.maxModelLenSource());
  }

  @Test
  void overrideWinsAndNothingKnownIsAClearError() throws IOException {
    assertEquals(1234, discover(Map.of("/v1/models", MODELS), 1234).maxModelLen());
    ServerClient.ServerError e = assertThrows(ServerClient.ServerError.class,
        () -> discover(Map.of("/v1/models", MODELS), null));
    assertTrue(e.getMessage().contains("--max-model-len"), e.getMessage());
  }

  @Test
  void nothingListeningSuggestsUrlOrMock() {
    ServerClient.ServerError e = assertThrows(ServerClient.ServerError.class,
        () -> Discovery.discover(new ServerClient("http://127.0.0.1:1", null, llmbench.tls.Tls.VERIFY), null, null));
    assertTrue(e.getMessage().contains("--url") && e.getMessage().contains("--mock"), e.getMessage());
  }
}
