package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import llmbench.gatlinglog.SimulationLog;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.testutil.Jvm;
import llmbench.testutil.Runs;
import org.junit.jupiter.api.Test;

/**
 * The LLM action against servers that fail: a 400 keeps the server's words in the errors and in
 * Gatling's log; a server that lists its model but never answers a POST fails every request with a
 * headers timeout, the console says what it waits for, and the sweep ends.
 */
class ServerWordsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path work(String name) throws IOException {
    return Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), name);
  }

  /**
   * Requests longer than the server's context (the preflight's, 2 tokens out, fits): vLLM's 400 and its
   * message, in the record and in Gatling's log.
   */
  @Test
  void aBadRequestSaysWhy() throws Exception {
    Path work = work("words400");
    Path tok = Files.createDirectories(work.resolve("tok"));
    BuiltinTokenizer.writeTo(tok);
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).maxModelLen(420).tokenizerDir(tok).build())) {
      // the client is told the context is larger than the server's: every request is too long for it
      Map<String, String> options = new java.util.LinkedHashMap<>(Map.of("--url", mock.baseUrl(), "--tokenizer",
          tok.toString(), "--max-model-len", "4096", "--input-len", "400", "--output-len", "30", "--levels", "2",
          "--warmup-requests", "0", "--no-client-warmup", "true", "--out", work.resolve("out").toString()));
      options.put("--gatling-results", work.resolve("gatling").toString());
      Runs.smoke(options);
    }
    JsonNode r = JSON.readTree(work.resolve("out").resolve("llmbench-8b_400-30_2.json").toFile());
    assertEquals(0, r.get("completed").asInt());
    for (JsonNode e : r.get("errors")) {
      assertTrue(e.asText().startsWith("HTTP 400: 'max_tokens' or 'max_completion_tokens' is too large: 30. This "
          + "model's maximum context length is 420 tokens"), e.asText());
    }
    List<SimulationLog.Request> failed = koEntries(work.resolve("gatling"));
    assertEquals(2, failed.size());
    for (SimulationLog.Request q : failed) {
      assertTrue(q.message().startsWith("HTTP 400: 'max_tokens' or 'max_completion_tokens' is too large: 30."),
          q.message());
    }
  }

  /**
   * A deadlocked engine: the server answers its model list and the preflight's request, then never
   * answers a POST. {@code --profiles low --timeout 5} fails every request with a headers timeout,
   * says so on the console while it waits, and ends.
   */
  @Test
  void aServerThatNeverAnswersEndsEveryRequestAndTheSweep() throws Exception {
    Path work = work("noanswer");
    Path tok = Files.createDirectories(work.resolve("tok"));
    BuiltinTokenizer.writeTo(tok);
    CountDownLatch end = new CountDownLatch(1);
    AtomicInteger generations = new AtomicInteger();
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).tokenizerDir(tok).build())) {
      HttpServer proxy = deadlockAfterFirstGeneration(mock.baseUrl(), generations, end);
      try {
        String url = "http://127.0.0.1:" + proxy.getAddress().getPort();
        Path log = work.resolve("console.log");
        List<String> cmd = new ArrayList<>(List.of(Jvm.java(), "-Xmx1G", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "-Dai.djl.offline=true", "-cp", Jvm.classpath(), llmbench.cli.RunTestMain.class.getName(),
            "--no-client-warmup", "--url", url, "--tokenizer", tok.toString(), "--profiles", "low", "--timeout", "5",
            "--out", work.resolve("out").toString(), "--gatling-results", work.resolve("gatling").toString()));
        long t0 = System.nanoTime();
        Process client = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = client.waitFor(150, TimeUnit.SECONDS);
        double took = (System.nanoTime() - t0) / 1e9;
        if (!ended) {
          client.destroyForcibly();
        }
        String console = Files.readString(log);
        assertTrue(ended, "the sweep did not end within 150 s:\n" + console);
        assertTrue(console.contains("waiting for response headers"), "the console never said what it waits for:\n" + console);
        int requests = 0;
        for (int c : new int[] {1, 4, 8, 16, 32}) {
          JsonNode r = JSON.readTree(work.resolve("out").resolve("llmbench-8b_100-150_" + c + ".json").toFile());
          assertEquals(0, r.get("completed").asInt(), "c" + c);
          for (JsonNode e : r.get("errors")) {
            assertEquals("no response headers in 5.0 s (timeout)", e.asText(), "c" + c);
            requests++;
          }
        }
        assertEquals(1 + 4 + 8 + 16 + 32, requests);
        List<SimulationLog.Request> failed = koEntries(work.resolve("gatling"));
        assertEquals(2 + requests, failed.size(), "every request KO in Gatling's log, the warm-up's too");
        assertTrue(failed.stream().allMatch(q -> q.message().equals("no response headers in 5.0 s (timeout)")));
        System.out.printf("never-answering server: sweep ended in %.1f s%n", took);
      } finally {
        end.countDown();
        proxy.stop(0);
      }
    }
  }

  /** Gatling's KO entries of the LLM action in the (one) run folder under {@code results}. */
  private static List<SimulationLog.Request> koEntries(Path results) throws IOException {
    List<SimulationLog.Request> out = new ArrayList<>();
    try (Stream<Path> runs = Files.list(results)) {
      for (Path dir : runs.filter(Files::isDirectory).toList()) {
        Path log = dir.resolve("simulation.log");
        if (Files.exists(log)) {
          SimulationLog.read(log).requests().stream().filter(q -> q.name().endsWith(": TTFT") && !q.ok()).forEach(out::add);
        }
      }
    }
    return out;
  }

  /**
   * Passes every request on to {@code target} until a generation request has been answered once (the
   * preflight's); from then on a generation request is read and never answered, until {@code end}.
   */
  private static HttpServer deadlockAfterFirstGeneration(String target, AtomicInteger generations, CountDownLatch end)
      throws IOException {
    HttpClient http = HttpClient.newHttpClient();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "deadlocked-server");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      String path = ex.getRequestURI().getPath();
      if (path.endsWith("/completions") && generations.incrementAndGet() > 1) {
        try {
          end.await(); // the engine is stuck: no headers, no bytes
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ex.close();
        return;
      }
      try {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()));
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type != null) {
          req.header("Content-Type", type);
        }
        req.method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> res = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        res.headers().firstValue("Content-Type").ifPresent(v -> ex.getResponseHeaders().set("Content-Type", v));
        ex.sendResponseHeaders(res.statusCode(), res.body().length == 0 ? -1 : res.body().length);
        ex.getResponseBody().write(res.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        ex.close();
      }
    });
    server.start();
    return server;
  }
}
