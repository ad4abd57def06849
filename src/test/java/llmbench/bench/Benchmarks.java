package llmbench.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbench.bench.wire.WireBench;

/**
 * {@code bench/run.sh [--quick] [--only a,b]}: runs the benchmarks (sections mock, fidelity, floor, cold,
 * wire, prompts, post, sweep), prints their tables and writes {@code bench/results.json} and {@code docs/PERFORMANCE.md}.
 * Not part of the test run: the machines are shared and noisy, so figures are medians where repeated.
 */
public final class Benchmarks {
  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    if (a.contains("--render")) { // only rewrite docs/PERFORMANCE.md from bench/results.json
      @SuppressWarnings("unchecked")
      Map<String, Object> saved = new ObjectMapper().readValue(Path.of("bench", "results.json").toFile(), LinkedHashMap.class);
      Files.writeString(Path.of("docs", "PERFORMANCE.md"), PerformanceDoc.render(saved));
      return;
    }
    boolean quick = a.contains("--quick");
    int only = a.indexOf("--only");
    List<String> sections = only >= 0 ? Arrays.asList(a.get(only + 1).split(","))
        : List.of("mock", "fidelity", "floor", "cold", "wire", "prompts", "post", "sweep");
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "bench")), "run");
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("date", ZonedDateTime.now().toString());
    results.put("command", "bench/run.sh " + String.join(" ", args));
    results.put("machine", machine());
    results.put("quick", quick);
    if (sections.contains("mock")) {
      results.put("mock_capacity_1000", MockBench.capacity(1000, 100, 10));
      results.put("mock_lateness_256", MockBench.capacity(256, quick ? 100 : 300, 10));
      results.put("mock_curve", MockBench.curve(quick ? new int[] {1, 16, 64}
          : new int[] {1, 2, 4, 8, 16, 32, 64, 128, 256}));
    }
    if (sections.contains("fidelity")) {
      List<Map<String, Object>> rows = fidelity(work, quick);
      results.put("fidelity", rows);
    }
    if (sections.contains("floor")) {
      results.put("client_floor", ClientFloorBench.run(work, quick ? 5 : 10));
    }
    if (sections.contains("cold")) {
      // what a user's first level sees: a fresh client JVM, with and without the client's JIT warm-up
      List<Map<String, Object>> rows = new ArrayList<>();
      try (FidelityBench fidelity = new FidelityBench(work)) {
        for (boolean clientWarmup : new boolean[] {false, true}) {
          rows.add(fidelity.runMedian(128, 10, true, 0, clientWarmup, 3));
        }
      }
      results.put("cold_start", rows);
    }
    if (sections.contains("wire")) {
      // a server of the user's keeps its own figures beside the mock's
      results.put(value(a, "--url") != null ? "wire_server" : "wire", wire(work, a, quick));
    }
    if (sections.contains("prompts")) {
      results.put("prompts", PromptBench.run());
    }
    if (sections.contains("post")) {
      // chunks double at a fixed heap cap: memory that grew with the chunks would fail the second
      results.put("post_processing", quick
          ? List.of(PostProcessBench.runCapped(work, 10_000, 250))
          : List.of(PostProcessBench.runCapped(work, 100_000, 250), PostProcessBench.runCapped(work, 100_000, 500)));
    }
    if (sections.contains("sweep")) {
      // a fast mock shows the fixed costs at their largest share; the default one is a real 8B server's pace
      List<Map<String, Object>> sweeps = new ArrayList<>();
      sweeps.add(SweepBench.run(work, quick, 0.2));
      if (!quick) {
        sweeps.add(SweepBench.run(work, false, 1.0));
      }
      results.put("sweep_overhead", sweeps);
    }
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.createDirectories(Path.of("bench"));
    Path file = Path.of("bench", "results.json");
    if (only >= 0 && Files.isRegularFile(file)) {
      // a partial rerun keeps the other sections' figures (each section says when it ran)
      @SuppressWarnings("unchecked")
      Map<String, Object> old = json.readValue(file.toFile(), LinkedHashMap.class);
      old.putAll(results);
      results = old;
    }
    json.writeValue(file.toFile(), results);
    Files.createDirectories(Path.of("docs"));
    Files.writeString(Path.of("docs", "PERFORMANCE.md"), PerformanceDoc.render(results));
    System.out.println("wrote bench/results.json and docs/PERFORMANCE.md");
    System.exit(0);
  }

  /** Every configuration; steps outermost, so that each mock in its own process serves one step time. */
  private static List<Map<String, Object>> fidelity(Path work, boolean quick) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (FidelityBench fidelity = new FidelityBench(work)) {
      // not reported: until the JIT has compiled Gatling's and the mock's hot paths (several runs of a
      // few seconds), compiler threads take most of a core and the first runs' stamps suffer from it
      for (int i = 0; i < 2; i++) {
        fidelity.run(128, 10, false);
      }
      for (boolean separate : new boolean[] {false, true}) {
        for (double step : quick ? new double[] {10} : new double[] {5, 10, 20}) {
          for (int c : quick ? new int[] {32, 128} : new int[] {1, 32, 128, 512}) {
            rows.add(fidelity.runMedian(c, step, separate, 0, quick ? 1 : 3));
          }
        }
      }
      rows.add(fidelity.runMedian(128, 10, true, 19, quick ? 1 : 3));
    }
    return rows;
  }

  /**
   * The sweep as users run it, judged against a packet capture: the mock's two modes, or the server
   * given with {@code --url} ({@code --tokenizer DIR} for its tokenizer); {@code --runs N} (default 5).
   */
  private static List<Map<String, Object>> wire(Path work, List<String> a, boolean quick) throws Exception {
    String url = value(a, "--url");
    String tokenizer = value(a, "--tokenizer");
    String runs = value(a, "--runs");
    String profiles = value(a, "--profiles");
    WireBench bench = new WireBench(work, List.of((profiles != null ? profiles : quick ? "low" : "low,medium").split(",")),
        tokenizer == null ? null : Path.of(tokenizer));
    List<WireBench.Target> targets = url != null ? List.of(new WireBench.Target(url, List.of(), url))
        : WireBench.mockTargets();
    List<Map<String, Object>> out = new ArrayList<>();
    for (WireBench.Target t : targets) {
      out.add(bench.run(t, runs != null ? Integer.parseInt(runs) : quick ? 2 : 5));
    }
    return out;
  }

  private static String value(List<String> a, String flag) {
    int i = a.indexOf(flag);
    return i >= 0 && i + 1 < a.size() ? a.get(i + 1) : null;
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpus", Runtime.getRuntime().availableProcessors());
    m.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1 << 20));
    m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    try {
      m.put("cpu_model", Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("?"));
    } catch (java.io.IOException e) {
      m.put("cpu_model", "?");
    }
    return m;
  }
}
