package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import llmbench.gatlinglog.SimulationLog;
import llmbench.mock.Faults;
import llmbench.trace.FailureKinds;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.testutil.Runs;
import llmbench.simulation.SmokeLoad;
import org.junit.jupiter.api.Test;

/**
 * Each kind of failure the mock injects (429, 500, an in-band error, a stall longer than the await)
 * is told apart in the result's errors and counted by kind. Which request gets which fault is drawn
 * from the mock's seeded random in arrival order, so the counts per kind are known in advance: the
 * same draws replayed here (the first is the preflight's).
 */
class FailureKindsIT {
  private static final Faults FAULTS = new Faults(0.1, 0.1, 0, 0.1, 0, 0.05, 30, 0, 0, 0);
  private static final int REQUESTS = 64;

  /** The kinds the mock will draw for the preflight and the level's requests, with seed {@code seed}. */
  private static List<Faults.Kind> draws(long seed) {
    SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL); // as MockServer seeds its fault random
    List<Faults.Kind> kinds = new ArrayList<>();
    for (int i = 0; i < 1 + REQUESTS; i++) {
      kinds.add(FAULTS.pick(r).kind());
    }
    return kinds;
  }

  @Test
  void eachFaultIsToldApartAndCountedByKind() throws Exception {
    long seed = 1;
    while (draws(seed).get(0) != Faults.Kind.NONE || !draws(seed).containsAll(List.of(Faults.Kind.HTTP_429,
        Faults.Kind.HTTP_500, Faults.Kind.INBAND_ERROR, Faults.Kind.STALL))) {
      seed++; // a seed whose preflight is served and whose level sees every kind
    }
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (Faults.Kind k : draws(seed).subList(1, 1 + REQUESTS)) {
      String kind = switch (k) {
        case HTTP_429 -> "HTTP 429";
        case HTTP_500 -> "HTTP 500";
        case INBAND_ERROR -> "in-band error";
        case STALL -> "timeout";
        default -> null;
      };
      if (kind != null) {
        expected.merge(kind, 1, Integer::sum);
      }
    }
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path tok = Files.createTempDirectory(work, "ftok");
    BuiltinTokenizer.writeTo(tok);
    Path out = Files.createTempDirectory(work, "fout");
    Path results = Files.createTempDirectory(work, "fgatling");
    Map<String, GroundTruth.Trace> truth;
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).seed(seed).faults(FAULTS).keepTraces(true)
        .tokenizerDir(tok).build())) {
      Map<String, String> props = Map.of("--url", mock.baseUrl(), "--tokenizer", tok.toString(),
          "--input-len", "50", "--output-len", "30", "--levels", "32", "--rounds", "2", "--warmup-requests", "0",
          "--timeout", "3", "--out", out.toString(), "--gatling-results", results.toString());
      java.io.PrintStream stdout = System.out;
      java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
      System.setOut(new java.io.PrintStream(console, true));
      try {
        Runs.smoke(props);
      } finally {
        System.setOut(stdout);
      }
      // under the level's block: the counts by kind, as the result holds them
      String line = console.toString().lines().filter(l -> l.startsWith("failures by kind: ")).findFirst().orElse("");
      for (Map.Entry<String, Integer> e : expected.entrySet()) {
        assertTrue(line.contains(e.getKey() + " × " + e.getValue()), line + "\n" + console);
      }
      truth = new LinkedHashMap<>();
      for (GroundTruth.Trace t : mock.groundTruth().all()) {
        truth.put(t.requestId(), t);
      }
    }
    JsonNode r = new ObjectMapper().readTree(out.resolve("llmbench-8b_50-30_64.json").toFile());
    Map<String, Integer> counted = new LinkedHashMap<>();
    r.get("failures_by_kind").fields().forEachRemaining(e -> counted.put(e.getKey(), e.getValue().asInt()));
    assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(counted));
    // entry by entry: each error reads as its kind's wording, as many of each as the mock injected
    Map<String, Integer> worded = new LinkedHashMap<>();
    for (JsonNode e : r.get("errors")) {
      String error = e.asText();
      String kind = error.isEmpty() ? null
          // the server's own words, from its JSON error's message
          : error.equals("HTTP 429: Too many requests (injected fault)") ? "HTTP 429"
          : error.equals("HTTP 500: Internal server error (injected fault)") ? "HTTP 500"
          : error.matches("in-band error after \\d+ tokens: Injected in-band error after \\d+ tokens") ? "in-band error"
          // stalled after half its tokens: silent from there until the 3 s await ran out
          : error.matches("no bytes for [23]\\.\\d s \\(timeout\\)") ? "timeout" : "unexpected: " + error;
      if (kind != null) {
        worded.merge(kind, 1, Integer::sum);
      }
    }
    assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(worded));
    // Gatling's report: the same failures, with the same words, in its errors table (simulation.log)
    Path log;
    try (var runs = Files.list(results)) {
      log = runs.filter(Files::isDirectory).map(d -> d.resolve("simulation.log")).filter(Files::exists).findFirst().orElseThrow();
    }
    Map<String, Integer> inGatling = new LinkedHashMap<>();
    for (SimulationLog.Request q : SimulationLog.read(log).requests()) {
      if (q.name().endsWith(": TTFT") && !q.ok()) {
        inGatling.merge(FailureKinds.kindOf(q.message()), 1, Integer::sum);
        assertTrue(!q.message().startsWith("HTTP") || q.message().contains("(injected fault)"), q.message());
      }
    }
    assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(inGatling));
    // the HTTP errors never reached the engine; every other request did, once, after the preflight
    assertEquals(1 + REQUESTS - expected.getOrDefault("HTTP 429", 0) - expected.getOrDefault("HTTP 500", 0), truth.size());
  }
}
