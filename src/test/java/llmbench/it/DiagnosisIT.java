package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import llmbench.diagnosis.ClientDiagnosis;
import llmbench.testutil.Http;
import llmbench.testutil.Jvm;
import llmbench.testutil.Runs;
import llmbench.simulation.SmokeLoad;
import org.junit.jupiter.api.Test;

/**
 * The client's self-check in a real run: a level whose client is stopped in its middle (a heap dump:
 * a safepoint that holds every Java thread, the event loops included, for as long as the dump takes)
 * must say so in its result and warnings; the level after it, undisturbed, must not be flagged for
 * lag or GC. Every result carries the diagnosis fields. The mock runs in a JVM of its own: one in the
 * client's would stop with it, and chunks never sent during the pause are stamped on time.
 */
class DiagnosisIT {
  private static final Pattern RUNNING = Pattern.compile("vllm:num_requests_running\\{[^}]*} ([0-9.]+)");

  @Test
  void aStoppedClientIsFlaggedAndAnUndisturbedLevelIsNot() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path out = Files.createTempDirectory(work, "diag-out");
    Path results = Files.createTempDirectory(work, "diag-gatling");
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process mock = new ProcessBuilder(Jvm.java(), "-Xmx512M", "-cp", Jvm.classpath(), "llmbench.cli.MockMain",
        "--port", Integer.toString(port), "--decode-step-ms", "10").redirectErrorStream(true)
        .redirectOutput(work.resolve("diagnosis-it-mock.log").toFile()).start();
    try {
      Http.waitForPort(port, 60);
      String url = "http://127.0.0.1:" + port;
      Path dump = work.resolve("diagnosis-it-" + ProcessHandle.current().pid() + ".hprof");
      Thread disturber = new Thread(() -> disturbFirstLevel(url, dump), "safepoint-disturber");
      disturber.start();
      // level c006 runs 300 tokens at 10 ms steps (3 s); the stop hits it; c007 after it is left alone
      assertEquals(0, Runs.smoke(Map.of("--url", url,
          "--input-len", "50", "--output-len", "300", "--levels", "6,7", "--warmup-requests", "2",
          "--out", out.toString(), "--gatling-results", results.toString())));
      disturber.join(30_000);
    } finally {
      mock.destroy();
      mock.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode disturbed = json.readTree(out.resolve("llmbench-8b_50-300_6.json").toFile());
    JsonNode clean = json.readTree(out.resolve("llmbench-8b_50-300_7.json").toFile());
    for (JsonNode r : List.of(disturbed, clean)) {
      for (String k : List.of("client_cpu_ms", "client_cpu_us_per_chunk", "client_jit_ms", "client_gc_pause_ms",
          "client_event_loop_lag_p99_ms", "client_event_loop_lag_max_ms", "client_disturbed", "client_event_loops")) {
        assertTrue(r.has(k), k + " in " + r.path("level"));
      }
      assertTrue(r.path("client_event_loops").asInt() >= 1);
    }
    assertTrue(disturbed.path("client_disturbed").asBoolean(), disturbed.path("warnings").toString());
    assertTrue(disturbed.path("client_event_loop_lag_max_ms").asDouble() > 50,
        "the loops stood still during the pause, streams in flight: " + disturbed.path("client_event_loop_lag_max_ms"));
    assertTrue(disturbed.path("warnings").toString().contains("event loops ran late as chunks came"));
    List<String> cleanWarnings = new ArrayList<>();
    clean.path("warnings").forEach(w -> cleanWarnings.add(w.asText()));
    assertFalse(cleanWarnings.stream().anyMatch(w -> w.contains("event loops") || w.contains("garbage collection")),
        cleanWarnings.toString());
    assertTrue(clean.path("client_event_loop_lag_p99_ms").asDouble() <= ClientDiagnosis.LAG_P99_LIMIT_MS);
  }

  /** Waits until the 6 requests of the first level run, then stops the JVM with a heap dump. */
  private static void disturbFirstLevel(String url, Path dump) {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + 120_000_000_000L;
    try {
      while (System.nanoTime() < deadline) {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = RUNNING.matcher(metrics);
        if (m.find() && Double.parseDouble(m.group(1)) >= 6) {
          Thread.sleep(500); // inside the level, not at its edge
          List<long[]> ballast = new ArrayList<>();
          for (int i = 0; i < 1_500; i++) {
            ballast.add(new long[16_384]); // 190 MB for the dump to write, at a safepoint
          }
          java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
              .dumpHeap(dump.toString(), false);
          SINK.addAndGet(ballast.size());
          Files.deleteIfExists(dump);
          return;
        }
        Thread.sleep(20);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static final AtomicInteger SINK = new AtomicInteger();
}
