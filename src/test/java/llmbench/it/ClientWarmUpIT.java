package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import llmbench.gatlinglog.SimulationLog;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.simulation.SmokeLoad;
import llmbench.trace.RequestRecord;
import llmbench.trace.TraceFiles;
import llmbench.testutil.GatlingRuns;
import org.junit.jupiter.api.Test;
import llmbench.testutil.Jvm;

/**
 * A fresh client JVM warms its JIT up before its first level: against its own in-process mocks, never
 * the server under test, and finished before the first measured request. The server is the mock in
 * this JVM, so its record says exactly which requests reached it.
 */
class ClientWarmUpIT {
  @Test
  void aFreshJvmWarmsUpAgainstItsOwnMockBeforeTheFirstLevel() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path tok = Files.createTempDirectory(work, "tokenizer");
    BuiltinTokenizer.writeTo(tok);
    Path results = Files.createTempDirectory(work, "gatling-fresh");
    try (MockServer server = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(5))
        .keepTraces(true).tokenizerDir(tok).build())) {
      List<String> cmd = new ArrayList<>(List.of(Jvm.java(),
          "-Xmx1G", "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Dai.djl.offline=true",
          "-Dllm.url=" + server.baseUrl(), "-Dllm.tokenizer=" + tok, "-Dllm.input=50", "-Dllm.output=20",
          "-Dllm.levels=1", "-Dllm.warmup=2", "-Dllm.out=" + Files.createTempDirectory(work, "out-fresh"),
          "-Dllm.gatlingResults=" + results, "-cp", Jvm.classpath(),
          SmokeLoad.class.getName(), results.toString()));
      cmd.add(1, "@bin/client-jvm.args"); // a fresh client JVM as the scripts start it
      Process client = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(results.resolve("client.log").toFile()).start();
      assertEquals(0, client.waitFor(), "the client JVM's exit status; see " + results.resolve("client.log"));

      // the warm-up ran as a quiet Gatling run of its own: no trace of it in the measured run's
      // simulation.log (so none in Gatling's HTML report or console), and no folder of its own left
      try (var dirs = Files.list(results)) {
        assertEquals(1, dirs.filter(Files::isDirectory).count(), "run folders under " + results);
      }
      Path runDir = GatlingRuns.only(results);
      SimulationLog.Contents log = SimulationLog.read(runDir.resolve("simulation.log"));
      assertTrue(log.requests().stream().noneMatch(r -> r.groups().get(0).contains("warm-up")
          || r.groups().get(0).startsWith("client")), "the client warm-up is in the measured run's stats");
      String console = Files.readString(results.resolve("client.log"));
      // it streams until the JIT settles: at least one round of 3 users (the widest level is the 2
      // warm-up requests, and each of the 3 servers gets a user at least) × ceil(10,000 chunks /
      // (3 users × 250 tokens)) = 14 requests each; every path streamed, the request-rate one included
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("client warm-up: JIT [a-z ]+ after [0-9.]+ s, ([0-9]+) "
          + "streams from its own in-process servers \\(vllm ([0-9]+), llamacpp ([0-9]+), request-rate ([0-9]+);").matcher(console);
      assertTrue(m.find(), console);
      assertTrue(Integer.parseInt(m.group(1)) >= 3 * 14, "warm-up streams: " + m.group(1));
      for (int g = 2; g <= 4; g++) {
        assertTrue(Integer.parseInt(m.group(g)) > 0, "a warm-up server no user streamed from: " + m.group());
      }
      assertTrue(console.indexOf("prepared ") > console.indexOf(m.group()),
          "the warm-up ended before the first level's requests were prepared");
      assertTrue(!console.contains("client warm-up (concurrency"), "Gatling's console shows the warm-up's group");

      List<RequestRecord> records = new ArrayList<>();
      TraceFiles.forEach(runDir.resolve(TraceFiles.FILE_NAME), records::add);
      assertEquals(2 + 1, records.size(), "only the server's warm-up and level requests are recorded");
      // the preflight, the 2 warm-up requests and the level's 1: none of the client's warm-up
      assertEquals(1 + 2 + 1, server.groundTruth().all().size(), "requests the server under test received");
    }
  }
}
