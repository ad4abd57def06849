package llmbench.bench.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import llmbench.mock.GroundTruth;
import llmbench.trace.RequestRecord;
import llmbench.trace.TraceFiles;

/**
 * {@code bench/run.sh --only wire}: the sweep as a user runs it ({@code ./run_test.sh}, a fresh client
 * JVM per run), judged against a loopback packet capture. Against the mock (started here in its own
 * process, plain and in its hard mode: busy CPU threads, connections closed after each stream) or any
 * server given with {@code --url}. Per level: the client's TTFT / ITL / E2EL error against the wire,
 * the per-chunk delay, the send delay, and the client's own diagnosis from its result file.
 */
public final class WireBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A server to run against: the mock with these flags, or an external URL. */
  public record Target(String name, List<String> mockArgs, String url) {}

  private final Path work;
  private final List<String> profiles;
  private final Path tokenizer;
  private final List<String> client;

  public WireBench(Path work, List<String> profiles, Path tokenizer) {
    this(work, profiles, tokenizer, List.of("./run_test.sh"));
  }

  /** @param client the command that runs the seed's sweep in a fresh JVM (options follow it) */
  public WireBench(Path work, List<String> profiles, Path tokenizer, List<String> client) {
    this.work = work;
    this.profiles = profiles;
    this.tokenizer = tokenizer;
    this.client = client;
  }

  /** The targets of issue 10: the plain mock, and the mock as hard on the client as a CPU-bound server. */
  public static List<Target> mockTargets() {
    return List.of(new Target("plain mock", List.of(), null),
        new Target("busy mock (--busy-threads 2 --close-connections)",
            List.of("--busy-threads", "2", "--close-connections"), null));
  }

  /** {@code runs} runs against {@code target}; one row per run and level, and a summary per level. */
  public Map<String, Object> run(Target target, int runs) throws IOException, InterruptedException {
    String why = Tcpdump.unavailable();
    if (why != null) {
      throw new IllegalStateException("the wire benchmark needs tcpdump: " + why);
    }
    Path dir = Files.createDirectories(work.resolve("wire-" + target.name().replaceAll("[^a-z0-9]+", "-")));
    Process mock = null;
    Path trace = null;
    String url = target.url();
    try {
      if (url == null) {
        int port = freePort();
        trace = dir.resolve("mock-trace.jsonl");
        List<String> cmd = new ArrayList<>(List.of("./mock_server.sh", "--port", Integer.toString(port),
            "--trace", trace.toString()));
        cmd.addAll(target.mockArgs());
        mock = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("mock.log").toFile()).start();
        url = "http://127.0.0.1:" + port;
        llmbench.testutil.Http.waitForPort(port, 60);
      }
      int port = URI.create(url).getPort();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 1; i <= runs; i++) {
        rows.addAll(oneRun(target, url, port, dir.resolve("run" + i), i, trace));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("target", target.name());
      out.put("runs", runs);
      out.put("rows", rows);
      out.put("summary", summary(rows));
      return out;
    } finally {
      if (mock != null) {
        mock.destroy();
        mock.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  private List<Map<String, Object>> oneRun(Target target, String url, int port, Path dir, int run, Path trace)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path pcap = dir.resolve("capture.pcap");
    Path out = dir.resolve("output");
    long offsetBefore = WireJudge.realtimeMinusMonotonicNs();
    int status;
    long dropped;
    try (Tcpdump capture = Tcpdump.start("lo", port, pcap)) {
      List<String> cmd = new ArrayList<>();
      if (Files.isExecutable(TIME)) { // the whole client process's CPU, start to exit, as a user's run costs it
        cmd.addAll(List.of(TIME.toString(), "-f", "%U %S %e", "-o", dir.resolve("time").toString()));
      }
      cmd.addAll(client);
      cmd.addAll(List.of("--url", url, "--profiles",
          String.join(",", profiles), "--out", out.toString(), "--gatling-results", dir.resolve("gatling").toString(),
          "--nvidia-smi", "/nonexistent"));
      if (tokenizer != null) {
        cmd.addAll(List.of("--tokenizer", tokenizer.toString()));
      }
      String clientArgs = System.getenv("WIRE_CLIENT_ARGS"); // e.g. --no-client-warmup
      if (clientArgs != null && !clientArgs.isBlank()) {
        cmd.addAll(List.of(clientArgs.trim().split("\\s+")));
      }
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile());
      String clientOpts = System.getenv("WIRE_CLIENT_JAVA_OPTS"); // for trying JVM flags on the client only
      if (clientOpts != null) {
        pb.environment().put("JAVA_TOOL_OPTIONS", clientOpts);
      }
      Process p = pb.start();
      status = p.waitFor();
      capture.close();
      dropped = capture.dropped();
    }
    long offsetAfter = WireJudge.realtimeMinusMonotonicNs();
    double[] cpu = processCpu(dir.resolve("time"));
    long offset = offsetBefore + (offsetAfter - offsetBefore) / 2;
    TcpFlows flows = new TcpFlows(port);
    Pcap.read(pcap, flows);
    List<HttpWire.Exchange> wire = HttpWire.exchanges(flows.connections());
    if (trace != null) {
      Thread.sleep(300); // the mock writes a stream's trace after its last byte
    }
    Map<String, GroundTruth.Trace> mockTruth = trace == null ? Map.of() : GroundTruth.read(trace);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (llmbench.results.LevelResult result : Files.isDirectory(out) ? llmbench.results.ResultFiles.summaries(out)
        : List.<llmbench.results.LevelResult>of()) {
      String profile = result.profile();
      String level = result.level();
      Path timings = out.resolve("gatling").resolve(result.gatlingRun()).resolve(TraceFiles.FILE_NAME);
      List<RequestRecord> records = new ArrayList<>();
      TraceFiles.forEach(timings, r -> {
        if (r.level().equals(level) && r.profile().equals(profile)) {
          records.add(r);
        }
      });
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("target", target.name());
      row.put("run", run);
      row.put("exit_status", status);
      row.put("profile", profile);
      row.put("level", level);
      row.put("capture_dropped_packets", dropped);
      row.put("clock_drift_us", (offsetAfter - offsetBefore) / 1e3);
      List<WireJudge.Pair> pairs = WireJudge.pair(records, wire);
      row.put("client_records_not_on_wire", records.size() - pairs.size()); // a cut capture shows here
      row.putAll(WireJudge.level(pairs, offset, mockTruth));
      result.other().forEach((k, v) -> {
        if (k.startsWith("client_")) {
          row.put(k, v);
        }
      });
      row.put("warnings", String.valueOf(result.warnings()));
      if (cpu != null) {
        row.put("process_cpu_s", cpu[0]);
        row.put("process_wall_s", cpu[1]);
      }
      rows.add(row);
      System.out.println(line(row));
    }
    if (rows.isEmpty()) {
      System.out.println(target.name() + " run " + run + ": no results (exit " + status + "; see " + dir.resolve("run.log") + ")");
    }
    return rows;
  }

  /** Per level across runs: the median run and the worst run of each figure the targets name. */
  static List<Map<String, Object>> summary(List<Map<String, Object>> rows) {
    Map<String, List<Map<String, Object>>> byLevel = new LinkedHashMap<>();
    for (Map<String, Object> r : rows) {
      byLevel.computeIfAbsent(r.get("profile") + " " + r.get("level"), k -> new ArrayList<>()).add(r);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, List<Map<String, Object>>> e : byLevel.entrySet()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("level", e.getKey());
      s.put("runs", e.getValue().size());
      for (String[] f : FIGURES) {
        List<Double> v = e.getValue().stream().map(r -> figure(r, f[0], f[1])).sorted().toList();
        s.put(f[0] + "_" + f[1] + "_median", v.get(v.size() / 2));
        s.put(f[0] + "_" + f[1] + "_worst", f[1].equals("mean") || f[0].startsWith("ttft")
            ? v.stream().max(Comparator.comparingDouble(Math::abs)).orElse(0.0) : v.get(v.size() - 1));
      }
      out.add(s);
    }
    return out;
  }

  static final String[][] FIGURES = {
      {"ttft_error_ms", "mean"}, {"ttft_error_ms", "p99"}, {"chunk_delay_ms", "p99"}, {"first_chunk_delay_ms", "p99"},
      {"itl_error_ms", "p99"},
      {"send_delay_ms", "mean"}, {"client_cpu_us_per_chunk", "value"}};

  public static double figure(Map<String, Object> row, String key, String stat) {
    Object v = row.get(key);
    if (v instanceof Map<?, ?> m) {
      Object x = m.get(stat);
      return x == null ? Double.NaN : ((Number) x).doubleValue();
    }
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static String line(Map<String, Object> r) {
    return String.format(Locale.ROOT, "%s run %s %s %s: n %s, TTFT err mean %.2f p99 %.2f ms, ITL err p99 %.2f, "
            + "chunk delay p50 %.2f p99 %.2f max %.2f ms, send delay mean %.2f ms, new conns %s, cpu %.1f us/chunk, "
            + "jit %.0f ms, loop lag p99 %.2f max %.2f ms, first-chunk lag mean %.2f max %.2f ms, cpu by thread %s, "
            + "flagged %s, run's process CPU %s s",
        r.get("target"), r.get("run"), r.get("profile"), r.get("level"), r.get("requests"),
        figure(r, "ttft_error_ms", "mean"), figure(r, "ttft_error_ms", "p99"), figure(r, "itl_error_ms", "p99"),
        figure(r, "chunk_delay_ms", "p50"), figure(r, "chunk_delay_ms", "p99"), figure(r, "chunk_delay_ms", "max"),
        figure(r, "send_delay_ms", "mean"), r.get("new_connections"), figure(r, "client_cpu_us_per_chunk", "value"),
        figure(r, "client_jit_ms", "value"), figure(r, "client_event_loop_lag_p99_ms", "value"),
        figure(r, "client_event_loop_lag_max_ms", "value"), figure(r, "client_first_chunk_lag_mean_ms", "value"),
        figure(r, "client_first_chunk_lag_max_ms", "value"), r.get("client_cpu_by_thread_ms"), r.get("client_disturbed"),
        r.get("process_cpu_s"));
  }

  private static final Path TIME = Path.of("/usr/bin/time");

  /** User + system CPU and wall seconds of the run, from GNU time's file; null without one. */
  private static double[] processCpu(Path file) {
    try {
      String[] f = Files.readString(file).trim().lines().reduce((a, b) -> b).orElse("").split("\\s+");
      return new double[] {Double.parseDouble(f[0]) + Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
