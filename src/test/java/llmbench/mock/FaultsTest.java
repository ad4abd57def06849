package llmbench.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import llmbench.testutil.Http;
import llmbench.testutil.SseParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultsTest {
  static MockServer mock;
  static String url;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    mock = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(2)).keepTraces(true).build());
    url = mock.baseUrl() + "/v1/completions";
  }

  @AfterAll
  static void stop() {
    mock.close();
  }

  static HttpResponse<String> withFault(String fault, int maxTokens) throws Exception {
    return Http.post(url, MockServerTest.completion(maxTokens, true), Map.of(Faults.HEADER, fault));
  }

  @Test
  void httpErrorsCarryVllmErrorBodies() throws Exception {
    for (int code : new int[] {429, 500, 503}) {
      HttpResponse<String> r = withFault(Integer.toString(code), 4);
      assertEquals(code, r.statusCode());
      JsonNode e = JSON.readTree(r.body()).get("error");
      assertEquals(code, e.get("code").asInt());
      assertTrue(e.get("message").asText().contains("injected"));
    }
  }

  @Test
  void inBandErrorAfterTokensThenDone() throws Exception {
    HttpResponse<String> r = withFault("error:3", 10);
    assertEquals(200, r.statusCode());
    List<SseParser.Event> events = SseParser.parse(r.body());
    assertEquals(5, events.size()); // 3 tokens, the error, [DONE]
    JsonNode err = JSON.readTree(events.get(3).data());
    assertTrue(err.get("error").get("message").asText().contains("after 3 tokens"));
    assertEquals("[DONE]", events.get(4).data());
  }

  @Test
  void dropClosesTheConnectionMidStream() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url))
        .header(Faults.HEADER, "drop:2").POST(HttpRequest.BodyPublishers.ofString(MockServerTest.completion(10, true))).build();
    HttpResponse<InputStream> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    StringBuilder got = new StringBuilder();
    IOException failure = null;
    try (InputStream in = r.body()) {
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) > 0; ) {
        got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      failure = e;
    }
    assertTrue(failure != null || !got.toString().contains("[DONE]"), "stream was not cut");
    assertEquals(2, SseParser.parse(got.toString()).size());
    assertEquals("dropped", waitForTrace().outcome());
  }

  private GroundTruth.Trace waitForTrace() throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      for (GroundTruth.Trace t : mock.groundTruth().all()) {
        if (t.outcome().equals("dropped")) {
          return t;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no dropped trace");
  }

  @Test
  void stallHoldsBytesBack() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = withFault("stall:1:2", 4);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(6, SseParser.parse(r.body()).size()); // everything arrives, one second late
    assertTrue(ms >= 1000, "stall of 1 s took " + ms + " ms");
  }

  @Test
  void slowFirstByteDelaysTheHeaders() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header(Faults.HEADER, "slow-first:400")
        .POST(HttpRequest.BodyPublishers.ofString(MockServerTest.completion(2, true))).build();
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofInputStream());
    long headersMs = (System.nanoTime() - t0) / 1_000_000;
    r.body().readAllBytes();
    assertTrue(headersMs >= 400, "headers after " + headersMs + " ms");
  }

  @Test
  void badFaultHeaderIsA400() throws Exception {
    assertEquals(400, withFault("explode", 2).statusCode());
    assertThrows(IllegalArgumentException.class, () -> Faults.parseHeader("stall"));
  }

  @Test
  void ratesPickFaultsInProportion() {
    Faults f = new Faults(0.1, 0, 0, 0.2, 0, 0, 0, 0, 0, 0);
    SplittableRandom r = new SplittableRandom(1);
    int n429 = 0;
    int nErr = 0;
    for (int i = 0; i < 10_000; i++) {
      Faults.Kind k = f.pick(r).kind();
      n429 += k == Faults.Kind.HTTP_429 ? 1 : 0;
      nErr += k == Faults.Kind.INBAND_ERROR ? 1 : 0;
    }
    assertEquals(1000, n429, 100);
    assertEquals(2000, nErr, 150);
    assertEquals(Faults.Kind.NONE, Faults.NONE.pick(r).kind());
  }
}
