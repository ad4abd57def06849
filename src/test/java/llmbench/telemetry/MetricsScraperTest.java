package llmbench.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import llmbench.server.ServerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scraper against a real HTTP server whose /metrics answers as each test needs. */
class MetricsScraperTest {
  private HttpServer http;
  private final AtomicInteger gets = new AtomicInteger();
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  /** @param answer request number (1-based) → status and body, "404:" style */
  private ServerClient serve(IntFunction<String> answer) throws Exception {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/metrics", ex -> {
      String a = answer.apply(gets.incrementAndGet());
      int status = Integer.parseInt(a.substring(0, 3));
      byte[] body = a.substring(4).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    http.start();
    return new ServerClient("http://127.0.0.1:" + http.getAddress().getPort(), null, llmbench.tls.Tls.VERIFY);
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.stop(0);
    }
  }

  private static String vllm(int running) {
    return "200 vllm:num_requests_running{model_name=\"m\"} " + running + "\nvllm:num_requests_waiting 0\n";
  }

  @Test
  void oneGetPerIntervalPlusOnePerLevelEdgeLabelledWithTheLevel(@TempDir Path dir) throws Exception {
    ServerClient server = serve(n -> vllm(n));
    Path file = dir.resolve("m.csv");
    MetricsScraper s = new MetricsScraper(server, 200, file, new PrintStream(console)).start();
    Thread.sleep(300);
    s.scrapeNow("c004", "start");
    Thread.sleep(500);
    s.scrapeNow("c004", "end");
    Thread.sleep(150);
    s.close();
    List<TelemetryCsv.Scrape> scrapes = TelemetryCsv.read(file);
    assertEquals(gets.get(), scrapes.size(), "every answer is one scrape in the file");
    // ticks at 0, 200, ... 800+ ms (5 or 6 in 950 ms) and the two marks: never more than that
    assertTrue(gets.get() >= 6 && gets.get() <= 8, "GETs: " + gets.get());
    assertEquals("vllm", s.engine());
    TelemetryCsv.Scrape start = scrapes.stream().filter(x -> x.event().equals("start")).findFirst().orElseThrow();
    TelemetryCsv.Scrape end = scrapes.stream().filter(x -> x.event().equals("end")).findFirst().orElseThrow();
    assertEquals("c004", start.level());
    assertEquals("c004", end.level());
    for (TelemetryCsv.Scrape x : scrapes) {
      boolean inside = x.epochMs() > start.epochMs() && x.epochMs() < end.epochMs();
      if (x.event().equals("tick")) {
        assertEquals(inside ? "c004" : "", x.level(), "a tick is labelled with the level it fell in");
      }
    }
    assertEquals("", console.toString());
  }

  @Test
  void aServerWithoutMetricsIsAskedOnceAndToldInOneLine(@TempDir Path dir) throws Exception {
    ServerClient server = serve(n -> "404 Not Found");
    MetricsScraper s = new MetricsScraper(server, 50, dir.resolve("m.csv"), new PrintStream(console)).start();
    Thread.sleep(400);
    s.scrapeNow("c001", "start");
    s.close();
    assertEquals(1, gets.get());
    assertNull(s.engine());
    assertNotNull(s.unavailable());
    assertEquals(List.of("the server's /metrics gave no telemetry (HTTP 404): no server timeline is recorded"),
        console.toString().lines().toList());
    assertTrue(TelemetryCsv.read(dir.resolve("m.csv")).isEmpty());
  }

  @Test
  void aScrapeFailingMidRunIsOneWarningAndTheNextOnesGoOn(@TempDir Path dir) throws Exception {
    ServerClient server = serve(n -> n >= 3 && n <= 5 ? "500 oops" : vllm(n));
    Path file = dir.resolve("m.csv");
    MetricsScraper s = new MetricsScraper(server, 50, file, new PrintStream(console)).start();
    Thread.sleep(600);
    s.close();
    assertEquals(3, s.failures());
    List<String> lines = console.toString().lines().toList();
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("warning: a /metrics scrape failed (HTTP 500)"), lines.get(0));
    List<TelemetryCsv.Scrape> scrapes = TelemetryCsv.read(file);
    assertEquals(gets.get() - 3, scrapes.size());
    assertEquals(6.0, scrapes.get(2).get(ServerSeries.RUNNING)); // the 6th answer, after the gap
  }

  @Test
  void zeroTurnsItOff(@TempDir Path dir) throws Exception {
    ServerClient server = serve(n -> vllm(n));
    MetricsScraper s = new MetricsScraper(server, 0, dir.resolve("m.csv"), new PrintStream(console)).start();
    s.scrapeNow("c001", "start");
    s.close();
    assertEquals(0, gets.get());
    assertTrue(!Files.exists(dir.resolve("m.csv")));
  }
}
