package llmbench.report.html;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's model from a hand-made output folder, against figures worked out by hand. */
class ReportModelTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Map<String, Object> result(String level, long start, long end, List<Double> ttfts, List<List<Double>> itls,
      List<Double> latencies, List<Double> starts, List<Integer> outputs, List<String> errors) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("tool", "gatling-llm-bench");
    r.put("model_id", "org/model");
    r.put("base_url", "http://gpu-node:8000");
    r.put("profile", "low");
    r.put("level", level);
    r.put("gatling_run", "lowload-1");
    r.put("level_start_epoch_ms", start);
    r.put("level_end_epoch_ms", end);
    r.put("max_concurrency", ttfts.size());
    r.put("random_input_len", 100);
    r.put("random_output_len", 4);
    r.put("num_prompts", ttfts.size());
    r.put("failed", (int) errors.stream().filter(e -> !e.isEmpty()).count());
    r.put("request_throughput", 1.0);
    r.put("output_throughput", 3.5);
    r.put("total_token_throughput", 103.5);
    for (String m : List.of("ttft", "tpot", "itl", "e2el")) {
      r.put("mean_" + m + "_ms", 10.0);
      r.put("median_" + m + "_ms", 9.0);
      r.put("p99_" + m + "_ms", 20.0);
    }
    r.put("ttfts", ttfts);
    r.put("itls", itls);
    r.put("latencies", latencies);
    r.put("start_times", starts);
    r.put("output_lens", outputs);
    r.put("errors", errors);
    r.put("warnings", List.of("a <b>warning</b>"));
    r.put("server_running_max", 2.0);
    return r;
  }

  /** Two levels: c002 (two requests, worked out below) and c001 (one failed request). */
  static Path folder(Path out) throws IOException {
    // r0: starts at 0, chunks at 0.5, 1.0, 1.5 s with 1 token each, ends at 1.5 s
    // r1: starts at 0.2, chunks at 0.5 and 1.5 s with 2 tokens each, ends at 2.0 s
    JSON.writeValue(out.resolve("model_100-4_2.json").toFile(), result("c002", 10_000, 12_000,
        List.of(0.5, 0.3), List.of(List.of(0.5, 0.5), List.of(1.0)), List.of(1.5, 1.8), List.of(0.0, 0.2),
        List.of(3, 4), List.of("", "")));
    JSON.writeValue(out.resolve("model_100-4_1.json").toFile(), result("c001", 12_000, 13_000,
        List.of(0.0), List.of(List.of()), List.of(0.0), List.of(0.1), List.of(0), List.of("HTTP 500: boom")));
    Files.writeString(out.resolve("not-ours.json"), "{\"x\": 1}");
    Path run = Files.createDirectories(out.resolve("gatling").resolve("lowload-1"));
    Files.writeString(run.resolve("index.html"), "<html></html>");
    Files.writeString(run.resolve("server_metrics.csv"), """
        epoch_ms,level,event,metric,value
        10500,c002,tick,running,2.0
        10500,c002,tick,kv_cache_usage,0.25
        11500,c002,tick,running,1.0
        """);
    Files.writeString(out.resolve("gpu_samples.csv"), """
        epoch_ms,timestamp,index,name,memory_used_mib,memory_total_mib,utilization_pct,power_w
        10000,t,0,H100,1000.0,81559.0,50.0,100.0
        10000,t,1,H100,2000.0,81559.0,70.0,200.0
        """);
    Files.writeString(out.resolve("engine_params.txt"), "vllm serve org/model --api-key <redacted>\n");
    return out;
  }

  @Test
  void theTimelineCountsTokensAndRequestsPerSecond(@TempDir Path dir) throws IOException {
    ReportModel m = ReportModel.of(folder(dir));
    assertEquals(List.of("low c002", "low c001"), m.levels().stream().map(ReportModel.LevelView::name).toList());
    ReportModel.Timeline t = m.timeline();
    assertEquals(10_000, t.t0EpochMs());
    assertEquals(List.of(new ReportModel.Band("low c002", 0, 2), new ReportModel.Band("low c001", 2, 3)), t.levels());
    assertEquals(0.1, t.binSeconds()); // a 3 s sweep: bins of 0.1 s
    List<Double> tokens = values(t.series().get("client output tok/s"));
    assertEquals(31, tokens.size());
    // r0's 1 + r1's 2 tokens at 0.5 s, r0's 1 at 1.0 s, r0's 1 + r1's 2 at 1.5 s: as tok/s in 0.1 s bins
    assertEquals(30.0, tokens.get(5));
    assertEquals(10.0, tokens.get(10));
    assertEquals(30.0, tokens.get(15));
    assertEquals(7.0, tokens.stream().mapToDouble(Double::doubleValue).sum() * 0.1, 1e-9, "every token once");
    List<Double> inFlight = values(t.series().get("client requests in flight"));
    assertEquals(1.0, inFlight.get(0)); // r0 alone
    assertEquals(2.0, inFlight.get(2)); // both, from 0.2 s
    assertEquals(1.0, inFlight.get(15)); // r1 alone after r0 ended at 1.5 s
    assertEquals(0.0, inFlight.get(20)); // r1 ended at 2.0 s
    assertEquals(1.5 + 1.8, inFlight.stream().mapToDouble(Double::doubleValue).sum() * 0.1, 1e-9, "request-seconds");
    assertArrayEquals(new double[] {0.5, 2.0}, t.series().get("server running").get(0));
    assertArrayEquals(new double[] {1.5, 1.0}, t.series().get("server running").get(1));
    assertArrayEquals(new double[] {0.5, 25.0}, t.series().get("server KV cache %").get(0));
    assertArrayEquals(new double[] {0.0, 3000.0}, t.series().get("GPU memory MiB").get(0)); // summed over GPUs
    assertArrayEquals(new double[] {0.0, 60.0}, t.series().get("GPU utilisation %").get(0)); // their mean
    assertArrayEquals(new double[] {0.0, 300.0}, t.series().get("GPU power W").get(0));
  }

  @Test
  void eachLevelHasItsBarsHistogramsAndTable(@TempDir Path dir) throws IOException {
    ReportModel m = ReportModel.of(folder(dir));
    ReportModel.LevelView c2 = m.levels().get(0);
    assertEquals(List.of(new ReportModel.Bar(0.0, 0.5, 1.5, true), new ReportModel.Bar(0.2, 0.5, 2.0, true)),
        c2.requests().stream().map(b -> new ReportModel.Bar(round(b.start()), round(b.firstToken()), round(b.end()), b.ok())).toList());
    assertEquals(2, c2.ttftHist().counts().stream().mapToInt(Integer::intValue).sum());
    assertEquals(1, c2.ttftHist().counts().get(0)); // 300 ms, the smallest, in the first bin
    assertEquals(1, c2.ttftHist().counts().get(23)); // 500 ms, the largest, in the last
    assertEquals(300.0, c2.ttftHist().edges().get(0), 1e-9);
    assertEquals(500.0, c2.ttftHist().edges().get(24), 1e-9);
    assertEquals(3, c2.itlHist().counts().stream().mapToInt(Integer::intValue).sum()); // 500, 500, 1000 ms
    assertEquals(20.0, c2.stats().get("ttft").p());
    assertEquals("low", c2.cells().get(0));
    assertEquals(2.0, c2.server().get("server_running_max"));
    ReportModel.LevelView c1 = m.levels().get(1);
    assertFalse(c1.requests().get(0).ok());
    assertTrue(c1.ttftHist().counts().isEmpty(), "a failed request has no TTFT to count");
    assertEquals(List.of(new ReportModel.Link("lowload-1", "gatling/lowload-1/index.html")), m.gatlingReports());
    assertTrue(m.engineParams().contains("<redacted>"));
    assertEquals("p99", m.percentile());
  }

  @Test
  void aFolderWithoutResultsIsAClearError(@TempDir Path dir) {
    assertThrows(IllegalArgumentException.class, () -> ReportModel.of(dir));
  }

  private static double round(double v) {
    return Math.round(v * 1e9) / 1e9;
  }

  private static List<Double> values(List<double[]> points) {
    return points.stream().map(p -> Math.round(p[1] * 1e6) / 1e6).toList();
  }

  @Test
  void aRepeatedLevelIsOnePointAtItsRunsMeanWithItsInterval(@TempDir Path out) throws Exception {
    // c002 three times: median TTFT 9, 11 and 13 ms; c001 once
    double[] medians = {9, 11, 13};
    for (int run = 1; run <= 3; run++) {
      Map<String, Object> r = result("c002", 10_000L * run, 10_000L * run + 2_000, List.of(0.5, 0.3),
          List.of(List.of(0.5, 0.5), List.of(1.0)), List.of(1.5, 1.8), List.of(0.0, 0.2), List.of(3, 4), List.of("", ""));
      r.put("median_ttft_ms", medians[run - 1]);
      r.put("repeat_run", run);
      JSON.writeValue(out.resolve("model_100-4_2" + (run == 1 ? "" : "_run" + run) + ".json").toFile(), r);
    }
    JSON.writeValue(out.resolve("model_100-4_1.json").toFile(), result("c001", 50_000, 51_000,
        List.of(0.4), List.of(List.of()), List.of(0.9), List.of(0.1), List.of(4), List.of("")));
    ReportModel m = ReportModel.of(out, llmbench.results.ResultFiles.full(out), 0.95);
    assertEquals(1, m.spreads().size());
    org.jfree.data.xy.YIntervalSeries s = ReportCharts.points("low median", m, "low", l -> l.stats().get("ttft").median(),
        "median_ttft_ms");
    assertEquals(2, s.getItemCount(), "one point per level");
    int c2 = s.getX(0).doubleValue() == 2 ? 0 : 1;
    // mean 11, SD 2, t(0.975, 2) = 4.3027: 11 -/+ 4.3027 x 2 / sqrt(3) = 11 -/+ 4.968
    assertEquals(11.0, s.getYValue(c2), 1e-9);
    assertEquals(11 - 4.302653 * 2 / Math.sqrt(3), s.getYLowValue(c2), 1e-5);
    assertEquals(11 + 4.302653 * 2 / Math.sqrt(3), s.getYHighValue(c2), 1e-5);
    // c001 ran once: its own value, no interval
    assertEquals(s.getYValue(1 - c2), s.getYLowValue(1 - c2));
    assertEquals(s.getYValue(1 - c2), s.getYHighValue(1 - c2));
  }
}
