package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import llmbench.cli.Cli;
import llmbench.cli.PostProcessMain;
import llmbench.gatlinglog.SimulationLog;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.simulation.AssertionFails;
import llmbench.simulation.FailingWriter;
import llmbench.simulation.ThrowingUsers;
import llmbench.simulation.TwoCalls;
import llmbench.stats.Distribution;
import llmbench.testutil.Jvm;
import llmbench.testutil.Runs;
import llmbench.trace.RequestRecord;
import llmbench.trace.TraceFiles;
import org.junit.jupiter.api.Test;

/**
 * The LLM protocol as Gatling users use it: the simulations the README and docs print, compiled and
 * run as printed; token metrics for any simulation against the mock's own record; the agent loop and
 * the mixed example; assertions on named requests; a user function that throws; a writer that fails.
 */
class LlmDslIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern JAVA = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern CLASS = Pattern.compile("public class (\\w+) extends Simulation");

  private static Path dir(String name) throws IOException {
    return Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), name);
  }

  /** The one run folder Gatling made under {@code results}. */
  private static Path runFolder(Path results) throws IOException {
    try (Stream<Path> runs = Files.list(results)) {
      return runs.filter(d -> Files.isRegularFile(d.resolve("simulation.log"))).findFirst().orElseThrow();
    }
  }

  private static JsonNode result(Path runDir, String namePart) throws IOException {
    try (Stream<Path> files = Files.list(runDir)) {
      Path f = files.filter(p -> p.getFileName().toString().matches("llmbench-8b_" + namePart + "_\\d+\\.json"))
          .findFirst().orElseThrow(() -> new AssertionError("no result for " + namePart + " in " + runDir));
      return JSON.readTree(f.toFile());
    }
  }

  /** Every simulation the README and docs/ print as a whole class: its name and source, as printed. */
  private static Map<String, String> printedSimulations() throws IOException {
    Map<String, String> found = new LinkedHashMap<>();
    List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    for (Path page : pages) {
      Matcher m = JAVA.matcher(Files.readString(page));
      while (m.find()) {
        Matcher c = CLASS.matcher(m.group(1));
        if (c.find()) {
          found.put(c.group(1), m.group(1));
        }
      }
    }
    return found;
  }

  @Test
  void theSimulationsTheReadmeAndDocsPrintRunAsPrintedWithTheirNamedRequestsInGatlingAndTheLlmResults() throws Exception {
    Map<String, String> printed = printedSimulations();
    assertTrue(printed.containsKey("ChatLoad"), "the README's simulation was found: " + printed.keySet());
    Path work = dir("printed").toAbsolutePath(); // the JVMs run in it: every path they get is absolute
    Path src = Files.createDirectories(work.resolve("src"));
    Path classes = Files.createDirectories(work.resolve("classes"));
    List<String> files = new ArrayList<>(List.of("-d", classes.toString(), "-cp", Jvm.classpath(), "-proc:none"));
    for (Map.Entry<String, String> e : printed.entrySet()) {
      Path f = src.resolve(e.getKey() + ".java");
      Files.writeString(f, e.getValue());
      files.add(f.toString());
    }
    assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, files.toArray(String[]::new)),
        "the printed simulations compile");
    BuiltinTokenizer.writeTo(Files.createDirectories(work.resolve("fake_model"))); // as a user puts the model's there
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).keepTraces(true).build())) {
      for (String name : printed.keySet()) {
        Path results = work.resolve("results-" + name);
        Process p = new ProcessBuilder(Jvm.java(), "@" + Path.of("bin/client-jvm.args").toAbsolutePath(),
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Dai.djl.offline=true", "-Durl=" + mock.baseUrl(),
            "-cp", classes + java.io.File.pathSeparator + Jvm.classpath(), "io.gatling.app.Gatling",
            "-s", name, "-rf", results.toString())
            .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile()).start();
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), name + " did not end");
        String printedOut = Files.readString(work.resolve(name + ".log"));
        assertEquals(0, p.exitValue(), name + " failed (its assertions hold on the mock):\n" + printedOut);
        assertTrue(printedOut.contains("LLM results per request"), printedOut);
      }
      Path run = runFolder(work.resolve("results-ChatLoad"));
      SimulationLog.Contents log = SimulationLog.read(run.resolve("simulation.log"));
      List<SimulationLog.Request> asks = log.requests().stream().filter(r -> r.name().equals("ask: TTFT")).toList();
      assertEquals(40, asks.size(), "2 users a second for 20 s");
      assertTrue(asks.stream().allMatch(r -> r.ok() && r.groups().equals(List.of("ask"))));
      assertEquals(40, log.groups().stream().filter(g -> g.groups().equals(List.of("ask"))).count());
      JsonNode ask = result(run, "ask");
      assertEquals(40, ask.get("completed").asInt());
      ask.get("output_lens").forEach(n -> assertEquals(150, n.asInt()));
      String report = Files.readString(run.resolve("index.html"));
      assertTrue(report.contains("ask: TTFT") && report.contains("group_ask"),
          "Gatling's report beside them shows the request's group (E2EL) and its TTFT entry");
    }
  }

  @Test
  void postprocessingAUserSimulationsFolderGivesVllmResultsPerNameThatAgreeWithTheMocksRecord() throws Exception {
    Path results = dir("two-calls");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).keepTraces(true).build())) {
      assertEquals(0, Runs.gatlingTest(TwoCalls.class.getName(), results, Map.of("dsl.url", mock.baseUrl())));
      Path run = runFolder(results);
      try (Stream<Path> made = Files.list(run)) { // what the run's end made: postprocess.sh makes it again
        for (Path f : made.filter(p -> p.getFileName().toString().startsWith("llmbench-8b_")).toList()) {
          Files.delete(f);
        }
      }
      assertEquals(0, Cli.run(new PostProcessMain(), run.toString()));
      Map<String, List<RequestRecord>> byName = new LinkedHashMap<>();
      TraceFiles.forEach(run.resolve(TraceFiles.FILE_NAME), r -> byName.computeIfAbsent(r.level(), k -> new ArrayList<>()).add(r));
      assertEquals(List.of("short", "checkout / long"), List.copyOf(byName.keySet()), "per name, within its group");
      for (Map.Entry<String, List<RequestRecord>> e : byName.entrySet()) {
        JsonNode json = result(run, e.getKey().equals("short") ? "short" : "checkout-long");
        // vLLM's arrays follow the order requests were sent
        List<RequestRecord> records = e.getValue().stream().sorted(java.util.Comparator.comparingLong(RequestRecord::startNs)).toList();
        assertEquals(12, json.get("completed").asInt());
        assertEquals(e.getKey(), json.get("request_name").asText());
        List<Double> ttftErr = new ArrayList<>();
        List<Double> itlErr = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
          RequestRecord r = records.get(i);
          GroundTruth.Trace t = mock.groundTruth().get(r.id());
          long[] sent = t.choiceChunkNs();
          // the JSON's TTFT against the mock's send of the first token, on the same clock (ms)
          double ttft = json.get("ttfts").get(i).asDouble() * 1e3;
          ttftErr.add(ttft - (sent[0] - r.startNs()) / 1e6);
          JsonNode itls = json.get("itls").get(i);
          assertEquals(sent.length - 1, itls.size(), r.id());
          for (int k = 0; k < itls.size(); k++) {
            itlErr.add(Math.abs(itls.get(k).asDouble() * 1e3 - (sent[k + 1] - sent[k]) / 1e6));
          }
        }
        Distribution ttft = new Distribution(ttftErr.stream().mapToDouble(Double::doubleValue).toArray());
        Distribution itl = new Distribution(itlErr.stream().mapToDouble(Double::doubleValue).toArray());
        System.out.printf("%s: JSON against the mock's record (ms): TTFT error p50 %.3f max %.3f | ITL error p50 %.3f p99 %.3f%n",
            e.getKey(), ttft.median(), ttft.percentile(100 - 1e-9), itl.median(), itl.percentile(99));
        assertTrue(ttftErr.stream().allMatch(x -> x >= 0), "a first token read before the mock sent it");
        assertTrue(ttft.median() <= 2.0, e.getKey() + ": TTFT error median " + ttft.median() + " ms");
        assertTrue(itl.median() <= 1.0, e.getKey() + ": ITL error median " + itl.median() + " ms");
      }
    }
  }

  @Test
  void aUserFunctionThatThrowsIsAKoWithItsWordsAndEveryUserGoesOn() throws Exception {
    Path results = dir("throwing");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).keepTraces(true).build())) {
      assertEquals(0, Runs.gatlingTest(ThrowingUsers.class.getName(), results, Map.of("dsl.url", mock.baseUrl())));
      assertEquals(2 + 4, mock.groundTruth().all().size(), "only the requests that could be made were sent");
    }
    Path run = runFolder(results);
    SimulationLog.Contents log = SimulationLog.read(run.resolve("simulation.log"));
    List<SimulationLog.Request> boom = log.requests().stream().filter(r -> r.name().equals("boom: TTFT")).toList();
    assertEquals(List.of("not sent: no prompt for user 2", "not sent: no prompt for user 4"),
        boom.stream().filter(r -> !r.ok()).map(SimulationLog.Request::message).sorted().toList());
    assertEquals(2, boom.stream().filter(SimulationLog.Request::ok).count());
    assertEquals(4, log.requests().stream().filter(r -> r.name().equals("after: TTFT") && r.ok()).count(),
        "every user passed the rendez-vous after the failure");
    JsonNode json = result(run, "boom");
    assertEquals(2, json.get("completed").asInt());
    assertEquals(2, json.get("failed").asInt());
  }

  @Test
  void aRecordWriterThatFailsEndsTheRunWithinSecondsWithItsWordsKeepingWhatItWrote() throws Exception {
    Path results = dir("failing-writer");
    long start;
    long took;
    String printed;
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).build())) {
      var out = new java.io.ByteArrayOutputStream();
      var console = System.out;
      var errors = System.err;
      System.setOut(new java.io.PrintStream(new TeeStream(console, out), true));
      System.setErr(new java.io.PrintStream(new TeeStream(errors, out), true));
      try {
        start = System.nanoTime();
        Runs.gatlingTest(FailingWriter.class.getName(), results, Map.of("dsl.url", mock.baseUrl(), "dsl.room", "20000"));
        took = System.nanoTime() - start;
      } finally {
        System.setOut(console);
        System.setErr(errors);
      }
      printed = out.toString(StandardCharsets.UTF_8);
    }
    assertTrue(printed.contains("writing token timings failed: No space left on device"), printed);
    // the users would have streamed for two minutes: the failure came after ~20 kB of records
    assertTrue(took < 10_000_000_000L, "the run took " + took / 1e9 + " s");
    Path run = runFolder(results);
    List<RequestRecord> kept = new ArrayList<>();
    TraceFiles.forEach(run.resolve(TraceFiles.FILE_NAME), kept::add);
    assertFalse(kept.isEmpty(), "the records written before the failure are kept");
    assertEquals(kept.size(), result(run, "ask").get("num_prompts").asInt(), "and made into results");
  }

  @Test
  void anAssertionOnANamedRequestThatCannotHoldFailsTheRun() throws Exception {
    Path results = dir("assertion");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).build())) {
      assertEquals(2, Runs.gatlingTest(AssertionFails.class.getName(), results, Map.of("dsl.url", mock.baseUrl())),
          "Gatling's status for a failed assertion");
    }
  }

  @Test
  void theAgentLoopAsksForAToolCallsItOverHttpAndSendsTheCallAndItsResultBack() throws Exception {
    Path results = dir("agent");
    List<JsonNode> bodies;
    long toolCalls;
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).keepTraces(true).build())) {
      assertEquals(0, Runs.gatlingTest("AgentLoop", results, Map.of("url", mock.baseUrl(), "users", "3")));
      bodies = mock.groundTruth().bodies();
      toolCalls = mock.requests("/tools/weather");
    }
    assertEquals(3, toolCalls, "each user ran the tool over HTTP");
    List<JsonNode> answers = bodies.stream().filter(b -> b.path("messages").size() == 3).toList();
    assertEquals(3, answers.size(), "each user's second call: question, the model's call, the tool's result");
    for (JsonNode b : answers) {
      JsonNode call = b.get("messages").get(1).get("tool_calls").get(0);
      JsonNode result = b.get("messages").get(2);
      assertEquals("tool", result.get("role").asText());
      assertEquals(call.get("id").asText(), result.get("tool_call_id").asText());
      String city = JSON.readTree(call.get("function").get("arguments").asText()).get("city").asText();
      assertTrue(result.get("content").asText().contains("\"city\":\"" + city + "\""),
          "the tool was asked for the city the model named: " + result);
    }
    Path run = runFolder(results);
    SimulationLog.Contents log = SimulationLog.read(run.resolve("simulation.log"));
    assertEquals(List.of("answer: TTFT", "plan: TTFT", "weather"),
        log.requests().stream().map(SimulationLog.Request::name).distinct().sorted().toList());
    assertTrue(log.requests().stream().allMatch(SimulationLog.Request::ok));
    assertEquals(3, result(run, "plan").get("completed").asInt());
    assertEquals(3, result(run, "answer").get("completed").asInt());
  }

  @Test
  void theMixedExampleGivesEachNamedCallItsOwnResults() throws Exception {
    Path tok = BuiltinTokenizer.writeTo(Files.createDirectories(dir("mixed-tok").resolve("tok")));
    Path results = dir("mixed");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).build())) {
      assertEquals(0, Runs.gatlingTest("MixedLoad", results,
          Map.of("url", mock.baseUrl(), "seconds", "4", "tokenizer", tok.getParent().toString())));
    }
    Path run = runFolder(results);
    JsonNode classify = result(run, "classify");
    JsonNode summarise = result(run, "summarise");
    assertEquals(16, classify.get("completed").asInt(), "4 a second for 4 s");
    classify.get("input_lens").forEach(n -> assertEquals(60, n.asInt(), "the feeder's exact-length prompts"));
    classify.get("output_lens").forEach(n -> assertEquals(4, n.asInt()));
    summarise.get("output_lens").forEach(n -> assertEquals(200, n.asInt()));
  }

  /** Writes to two streams (the console and the test's copy). */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
