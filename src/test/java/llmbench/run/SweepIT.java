package llmbench.run;

import llmbench.cli.SweepCommand;
import llmbench.gatling.sweep.GatlingLauncher;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import llmbench.cli.Cli;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.prompt.BuiltinTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import llmbench.testutil.Jvm;

/** run_test.sh's sweep, driven through its command line, Gatling running in this JVM. */
class SweepIT {
  static Path work;
  static Path fakeSmi;

  @BeforeAll
  static void setUp() throws IOException {
    work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "sweep");
    fakeSmi = llmbench.testutil.FakeNvidiaSmi.write(work);
  }

  static int sweep(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    if (!a.contains("--gatling-results")) {
      a.addAll(List.of("--gatling-results", work.resolve("gatling").toString()));
    }
    return Cli.run(new SweepCommand(GatlingLauncher::run, false), a.toArray(String[]::new));
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void mockSweepWritesTheWholeOutputFolder() throws IOException {
    Path out = work.resolve("out-mock");
    // time scale 0.6: c032 lasts about 0.6 s, at least 3 scrapes of 100 ms for the server's gauges
    int status = sweep("--mock", "--profiles", "low", "--mock-time-scale", "0.6", "--out", out.toString(),
        "--nvidia-smi", fakeSmi.toString(), "--gpu-interval-ms", "100", "--metrics-interval-ms", "100");
    assertEquals(0, status);
    List<String> files = names(out);
    for (int c : new int[] {1, 4, 8, 16, 32}) {
      assertTrue(files.contains("llmbench-8b_100-150_" + c + ".json"), files.toString());
    }
    assertTrue(files.containsAll(List.of("engine_params.txt", "mem_usage.txt", "summary.csv", "summary.md", "gatling",
        "gpu_samples.csv", "report.html", "report_ttft.png", "report_tpot.png", "report_throughput.png",
        "report_latency_throughput.png", "report_timeline.png")), files.toString());
    // the mock's /metrics beside each level: its scheduler runs the whole level (max_num_seqs 256)
    com.fasterxml.jackson.databind.JsonNode c16 = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(out.resolve("llmbench-8b_100-150_16.json").toFile());
    assertEquals("vllm", c16.get("server_metrics_engine").asText());
    assertEquals(16.0, c16.get("server_requests_finished").asDouble());
    assertTrue(c16.get("server_mean_ttft_ms").asDouble() > 0);
    String engine = Files.readString(out.resolve("engine_params.txt"));
    assertTrue(engine.contains("## Launch command\nsource: /proc"), engine);
    assertTrue(engine.contains("max_model_len: 16384 (source: /v1/models max_model_len)"));
    assertTrue(engine.contains("num_gpu_blocks: 27000"));
    String mem = Files.readString(out.resolve("mem_usage.txt"));
    assertTrue(mem.contains("peak during low c032: GPU 0 "), mem);
    assertTrue(mem.contains("pid 505 python3: 8634 MiB"));
    assertTrue(mem.lines().anyMatch(l -> l.contains(", low c016, 0, NVIDIA H100 80GB HBM3, ")));
    List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
    assertEquals(6, csv.size());
    assertTrue(csv.get(5).startsWith("low,c032,32,,100,150,32,0,"), csv.get(5));
    List<String> header = List.of(csv.get(0).split(","));
    List<String> c032 = List.of(csv.get(5).split(",", -1));
    assertFalse(c032.get(header.indexOf("peak GPU MiB")).isEmpty(), "peak GPU memory missing: " + csv.get(5));
    assertEquals("32", c032.get(header.indexOf("server running max")), csv.get(5));
    assertEquals("0", c032.get(header.indexOf("server preemptions")), csv.get(5));
    // the whole sweep's server metrics in one file, each level named with its profile
    List<String> metrics = Files.readAllLines(out.resolve("server_metrics.csv"));
    assertEquals("epoch_ms,level,event,metric,value", metrics.get(0));
    assertTrue(metrics.stream().anyMatch(l -> l.contains(",low c032,start,running,")), "no start scrape of low c032");
    assertTrue(Files.readAllLines(out.resolve("timeline.csv")).get(0).startsWith("seconds,series,value"));
    Path reports = out.resolve("gatling");
    assertTrue(Files.isRegularFile(reports.resolve(names(reports).get(0)).resolve("index.html")));
  }

  @Test
  void skipsAProfileThatDoesNotFitKeepsTheRestAndNeverOverwrites() throws IOException {
    Path out = work.resolve("out-small");
    int first = sweep("--mock", "--mock-max-model-len", "1024", "--profiles", "high,low", "--mock-time-scale", "0.3",
        "--out", out.toString(), "--nvidia-smi", work.resolve("no-such-nvidia-smi").toString());
    assertEquals(0, first);
    List<String> files = names(out);
    assertTrue(files.stream().noneMatch(f -> f.contains("-2048_")), "high ran: " + files);
    assertTrue(files.contains("llmbench-8b_100-150_32.json"));
    assertTrue(Files.readString(out.resolve("mem_usage.txt")).contains("nvidia-smi not found"));

    int second = sweep("--mock", "--profiles", "low", "--mock-time-scale", "0.3", "--out", out.toString(),
        "--nvidia-smi", work.resolve("no-such-nvidia-smi").toString());
    assertEquals(0, second);
    List<String> archives = names(out.resolve("archive"));
    assertEquals(1, archives.size());
    List<String> archived = names(out.resolve("archive").resolve(archives.get(0)));
    assertTrue(archived.containsAll(List.of("llmbench-8b_100-150_1.json", "summary.md", "engine_params.txt")), archived.toString());
    assertTrue(names(out).contains("llmbench-8b_100-150_1.json"));
  }

  @Test
  void aServerDyingMidSweepKeepsEverythingDoneSoFar() throws Exception {
    Path tok = Files.createDirectories(work.resolve("tok"));
    BuiltinTokenizer.writeTo(tok);
    Path out = work.resolve("out-killed");
    MockServer mock = MockServer.start(MockConfig.builder().port(0).build());
    Path gatling = Files.createDirectories(work.resolve("gatling-killed"));
    Thread killer = new Thread(() -> {
      try {
        // the medium profile's timings file appears when its prompts are built; its first level
        // (about 2 s in real time) then runs: the server dies during the second
        for (int i = 0; i < 1200 && !pendingTimings(gatling); i++) {
          Thread.sleep(50);
        }
        Thread.sleep(3500);
      } catch (InterruptedException ignored) {
        // kill now
      }
      mock.close();
    });
    killer.start();
    int status = sweep("--url", mock.baseUrl(), "--tokenizer", tok.toString(), "--profiles", "medium,low",
        "--out", out.toString(), "--nvidia-smi", "/nonexistent", "--timeout", "30",
        "--gatling-results", gatling.toString());
    killer.join();
    assertEquals(1, status, "a profile that could not run is a failed sweep");
    List<String> files = names(out);
    assertTrue(files.contains("llmbench-8b_200-250_32.json"), files.toString());
    assertTrue(files.contains("summary.md"));
    String md = Files.readString(out.resolve("summary.md"));
    assertTrue(md.contains("| medium | c032 | 32 |"), md);
    // the levels after the crash are there, with their failures counted
    assertTrue(files.contains("llmbench-8b_200-250_128.json"), files.toString());
    String last = Files.readString(out.resolve("llmbench-8b_200-250_128.json"));
    assertTrue(last.contains("\"failed\" : 128"), "level after the crash: " + last.substring(0, 600));
  }

  static boolean pendingTimings(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith(".llmbench"));
    } catch (IOException e) {
      return false;
    }
  }

  static boolean sigintIgnored() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("SigIgn:")) {
          return (Long.parseLong(line.substring(7).trim(), 16) & 0x2) != 0;
        }
      }
    } catch (IOException e) {
      // not Linux: assume a terminal's defaults
    }
    return false;
  }

  static long timingRecords(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.getFileName().toString().matches("\\.llmbench-.*\\.jsonl")).toList()) {
        try (Stream<String> lines = Files.lines(p)) {
          return lines.count();
        }
      }
    } catch (IOException e) {
      // not there yet
    }
    return 0;
  }

  @Test
  void ctrlCWritesWhatWasMeasured() throws Exception {
    Path out = work.resolve("out-ctrl-c");
    String java = Jvm.java();
    // the fake nvidia-smi is found on PATH, as the real one would be
    ProcessBuilder pb = new ProcessBuilder(java, "--add-opens=java.base/java.lang=ALL-UNNAMED", "-cp",
        Jvm.classpath(), llmbench.cli.RunTestMain.class.getName(), "--mock", "--profiles", "low,medium",
        "--out", out.toString(), "--gatling-results", work.resolve("gatling-ctrl-c").toString(),
        "--gpu-interval-ms", "200");
    pb.environment().put("PATH", fakeSmi.getParent().toAbsolutePath() + ":" + System.getenv("PATH"));
    Process p = pb.redirectErrorStream(true).redirectOutput(work.resolve("ctrl-c.log").toFile()).start();
    // Ctrl-C once low is done and medium's first level has finished (2 warm-up + 32 records)
    Path gatling = work.resolve("gatling-ctrl-c");
    for (int i = 0; i < 1200 && !Files.exists(out.resolve("llmbench-8b_100-150_32.json")); i++) {
      Thread.sleep(100);
    }
    for (int i = 0; i < 1200 && timingRecords(gatling) < 34; i++) {
      Thread.sleep(100);
    }
    // Ctrl-C is SIGINT; a test runner started in the background passes SIGINT on as ignored (the JVM
    // then keeps it ignored), so there SIGTERM stands in: both run the JVM's shutdown hooks.
    String signal = sigintIgnored() ? "-TERM" : "-INT";
    new ProcessBuilder("kill", signal, Long.toString(p.pid())).start().waitFor();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run did not stop after Ctrl-C");
    String log = Files.readString(work.resolve("ctrl-c.log"));
    assertTrue(log.contains("interrupted: writing what was measured"), log);
    List<String> files = names(out);
    assertTrue(files.contains("llmbench-8b_100-150_32.json"));
    assertTrue(files.contains("mem_usage.txt") && files.contains("summary.md"), files.toString());
    assertTrue(Files.readString(out.resolve("mem_usage.txt")).contains("peak during low c032: GPU 0 "));
    // medium's first level (about 2 s) finished before the interrupt: its results were saved too
    assertTrue(files.contains("llmbench-8b_200-250_32.json"), files.toString());
  }

  @Test
  void aVisionSweepWithAnOutFolderKeepsItsFilesWithItsResults() throws IOException {
    Path out = work.resolve("out-vision");
    assertEquals(0, Cli.runNamed(new SweepCommand(GatlingLauncher::run, true), "run_vision_test.sh", "64", "64", "--mock",
        "--profiles", "vision2", "--mock-time-scale", "0.3", "--out", out.toString(),
        "--gatling-results", work.resolve("gatling").toString()));
    Path dir = out.resolve("vision_64x64");
    List<String> files = names(dir);
    assertTrue(files.containsAll(List.of("llmbench-8b_100-100_32.json", "summary.md", "engine_params.txt",
        "mem_usage.txt", "report.html", "report_ttft.png")), files.toString());
    List<String> summary = Files.readAllLines(dir.resolve("summary.csv"));
    assertEquals(1 + 4, summary.size(), "one row per level of vision2: " + summary);
  }

  @Test
  void badArgumentsAreOneLineAndStatus2() throws IOException {
    BuiltinTokenizer.writeTo(Files.createDirectories(work.resolve("tok-for-unreachable")));
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true));
    try {
      assertEquals(2, sweep("--rounds", "0", "--mock"));
      assertEquals(2, sweep("--profiles", "huge", "--mock"));
      assertEquals(2, sweep("--endpoint", "grpc", "--mock"));
      assertEquals(2, sweep("--no-such-option"));
      assertEquals(2, sweep("512", "512", "--mock")); // an image size is for run_vision_test.sh
      for (String[] size : new String[][] {{"abc", "512"}, {"0", "512"}, {"-4", "512"}, {"512", "16385"}, {"512"}}) {
        List<String> a = new ArrayList<>(List.of(size));
        a.addAll(List.of("--mock", "--gatling-results", work.resolve("gatling").toString()));
        assertEquals(2, Cli.runNamed(new SweepCommand(GatlingLauncher::run, true), "run_vision_test.sh", a.toArray(String[]::new)),
            String.join(" ", size));
      }
      assertEquals(2, Cli.runNamed(new SweepCommand(GatlingLauncher::run, true), "run_vision_test.sh", "512", "512",
          "--image-format", "gif", "--mock"));
      assertEquals(2, sweep("--url", "http://127.0.0.1:1", "--tokenizer", work.resolve("empty").toString()));
      // an explicit tokenizer is never ignored, not even when the mock could stand in with its own
      assertEquals(2, sweep("--mock", "--tokenizer", "/nonexistent/tok"));
      assertEquals(2, sweep("--mock", "--connections", "sometimes"));
      assertEquals(2, sweep("--mock", "--metrics-interval-ms", "50")); // 0 (off) or at least 100
      assertEquals(2, sweep("--mock-time-scale", "1", "--url", "http://127.0.0.1:1")); // a mock option, no mock
      assertEquals(1, sweep("--url", "http://127.0.0.1:1", "--tokenizer",
          work.resolve("tok-for-unreachable").toString(), "--out", work.resolve("out-unreachable").toString()));
    } catch (RuntimeException e) {
      throw e;
    } finally {
      System.setErr(err);
    }
    String text = captured.toString();
    for (String line : text.split("\n")) {
      assertTrue(line.startsWith("error: "), "not a one-line error: " + line);
    }
    assertTrue(text.contains("error: tokenizer /nonexistent/tok: no such file or folder"), text);
    assertTrue(text.contains("--connections must be keep-alive or per-request"), text);
  }

  @Test
  void aWorkloadFilesOwnSettingIsNotOverriddenSilently() throws IOException {
    Path file = work.resolve("conflict.yaml");
    Files.writeString(file, "profiles:\n  - name: a\n    input_len: 10\n    output_len: 5\n    concurrency: [1]\n"
        + "    rounds: 4\n");
    Path out = work.resolve("out-conflict");
    assertEquals(2, sweep("--mock", "--workload", file.toString(), "--rounds", "3", "--out", out.toString()));
    assertTrue(!Files.exists(out), "a refused run wrote its output folder");
  }

  @Test
  void aWorkloadFileRunsEachOfItsProfilesThroughTheGenericSimulation() throws IOException {
    Path file = work.resolve("workload.yaml");
    Files.writeString(file, """
        profiles:
          - name: chat
            input_len: 60
            output_len: 20
            concurrency: [2]
            turns: 2
          - name: poisson
            input_len: 40
            output_len: 10
            request_rate: [20]
            num_prompts: 20
        """);
    Path out = work.resolve("out-workload");
    assertEquals(0, sweep("--mock", "--workload", file.toString(), "--mock-time-scale", "0.3", "--out", out.toString(),
        "--nvidia-smi", fakeSmi.toString()));
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode chat = json.readTree(out.resolve("llmbench-8b_60-20_4.json").toFile());
    assertEquals("chat", chat.get("profile").asText());
    assertEquals(2, chat.get("turns").asInt());
    com.fasterxml.jackson.databind.JsonNode poisson = json.readTree(out.resolve("llmbench-8b_40-10_20_20qps.json").toFile());
    assertEquals(20.0, poisson.get("request_rate").asDouble());
    List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
    assertEquals(3, csv.size(), csv.toString());
  }
}
