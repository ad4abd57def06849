package llmbench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import org.junit.jupiter.api.Test;

class PrefixCacheResetTest {
  @Test
  void vllmsResetIsTriedFirstThenSglangs() throws Exception {
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).build())) {
      assertEquals("POST /reset_prefix_cache", new ServerClient(mock.baseUrl(), null, llmbench.tls.Tls.VERIFY).resetPrefixCache());
    }
    List<String> asked = new ArrayList<>();
    HttpServer sglang = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sglang.createContext("/", ex -> {
      asked.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
      ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/flush_cache") ? 200 : 404, -1);
      ex.close();
    });
    sglang.start();
    try {
      String url = "http://127.0.0.1:" + sglang.getAddress().getPort();
      assertEquals("POST /flush_cache", new ServerClient(url, null, llmbench.tls.Tls.VERIFY).resetPrefixCache());
      assertEquals(List.of("POST /reset_prefix_cache", "POST /flush_cache"), asked);
    } finally {
      sglang.stop(0);
    }
  }

  @Test
  void aServerWithoutAResetSaysSoInOneLine() throws Exception {
    HttpServer none = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    none.createContext("/", ex -> {
      ex.sendResponseHeaders(404, -1);
      ex.close();
    });
    none.start();
    try {
      ServerClient.ServerError e = assertThrows(ServerClient.ServerError.class,
          () -> new ServerClient("http://127.0.0.1:" + none.getAddress().getPort(), null, llmbench.tls.Tls.VERIFY).resetPrefixCache());
      assertEquals("the server offers no prefix-cache reset (POST /reset_prefix_cache answered HTTP 404, POST "
          + "/flush_cache answered HTTP 404; vLLM serves /reset_prefix_cache only when started with "
          + "VLLM_SERVER_DEV_MODE=1)", e.getMessage());
    } finally {
      none.stop(0);
    }
  }
}
