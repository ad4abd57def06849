package llmbench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Comparisons of hand-made runs whose differences are known. */
class CompareTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A level of n requests, TTFT 100..(100+n-1) ms changed by {@code ttft}; 11 tokens, 10 ms apart. */
  static Map<String, Object> level(String model, int concurrency, int n, DoubleUnaryOperator ttft, boolean ours) {
    List<Double> ttfts = new ArrayList<>();
    List<Double> latencies = new ArrayList<>();
    List<List<Double>> itls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double t = ttft.applyAsDouble(100 + i) / 1000;
      ttfts.add(t);
      latencies.add(t + 0.1);
      itls.add(java.util.Collections.nCopies(10, 0.01));
    }
    List<Double> sorted = ttfts.stream().sorted().toList();
    double p99 = percentile(sorted, 99) * 1000;
    Map<String, Object> r = new LinkedHashMap<>();
    if (ours) {
      r.put("tool", "gatling-llm-bench");
      r.put("profile", "low");
      r.put("level", String.format("c%03d", concurrency));
      r.put("random_input_len", 100);
      r.put("random_output_len", 11);
      r.put("level_start_epoch_ms", 1000L * concurrency);
      r.put("level_end_epoch_ms", 1000L * concurrency + 500);
    } else {
      r.put("date", "20261201-101010");
      r.put("backend", "vllm");
      r.put("request_rate", "inf");
      r.put("input_lens", java.util.Collections.nCopies(n, 101)); // measured: BOS included
    }
    r.put("model_id", model);
    r.put("num_prompts", n);
    r.put("max_concurrency", concurrency);
    r.put("completed", n);
    r.put("failed", 0);
    r.put("request_throughput", 10.0);
    r.put("output_throughput", 110.0);
    r.put("total_token_throughput", 1110.0);
    r.put("mean_ttft_ms", ttfts.stream().mapToDouble(d -> d).average().orElse(0) * 1000);
    r.put("median_ttft_ms", percentile(sorted, 50) * 1000);
    r.put("p99_ttft_ms", p99);
    r.put("p99_tpot_ms", 10.0);
    r.put("output_lens", java.util.Collections.nCopies(n, 11));
    r.put("ttfts", ttfts);
    r.put("latencies", latencies);
    r.put("itls", itls);
    r.put("errors", java.util.Collections.nCopies(n, ""));
    return r;
  }

  private static double percentile(List<Double> sorted, double p) {
    double rank = p / 100 * (sorted.size() - 1);
    int lo = (int) Math.floor(rank);
    int hi = Math.min(sorted.size() - 1, lo + 1);
    return sorted.get(lo) + (sorted.get(hi) - sorted.get(lo)) * (rank - lo);
  }

  static Path run(Path dir, String name, DoubleUnaryOperator ttft, int n) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    JSON.writeValue(d.resolve("model_100-11_" + n + ".json").toFile(), level("org/model", 32, n, ttft, true));
    Files.writeString(d.resolve("engine_params.txt"), """
        ## Launch command
        source: /proc, process 42 listens on port 8000
        /usr/bin/python3 /usr/bin/vllm serve org/model --tensor-parallel-size 2 --max-num-seqs=%s --enable-prefix-caching --api-key <redacted>

        ## Model and context length
        model: org/model
        max_model_len: 32768 (source: /v1/models max_model_len)

        ## vLLM version (GET /version)
        {
          "version" : "0.11.0"
        }
        """.formatted(name.equals("a") ? "256" : "32"));
    return d;
  }

  @Test
  void aTwentyPercentTtftRegressionIsBeyondTheNoiseAndBreaksTheGate(@TempDir Path dir) throws IOException {
    RunResults a = RunResults.load(run(dir, "a", x -> x, 50), "a");
    RunResults b = RunResults.load(run(dir, "b", x -> x * 1.2, 50), "b");
    Comparison.Result r = Comparison.of(List.of(a, b));
    Comparison.Row p99 = row(r, "p99_ttft_ms");
    Comparison.Cell c = p99.cells().get(1);
    assertEquals(20.0, c.changePct(), 1e-9);
    assertEquals(Comparison.Verdict.WORSE, c.verdict());
    assertTrue(c.pValue() < 1e-6, "p = " + c.pValue());
    List<String> breaches = Gate.breaches(r, Gate.parse("p99_ttft_ms>+10%,output_throughput<-5%"));
    assertEquals(1, breaches.size(), breaches.toString());
    assertTrue(breaches.get(0).startsWith("low c032, b: p99_ttft_ms +20.0% ("), breaches.get(0));
    assertTrue(breaches.get(0).endsWith("breaks p99_ttft_ms>+10%"), breaches.get(0));
    assertTrue(Gate.breaches(r, Gate.parse("p99_ttft_ms>+25%")).isEmpty());
    assertEquals(1, Gate.breaches(r, Gate.parse("mean_ttft_ms>+20")).size(), "absolute: +29.9 ms > 20 ms");
    // TPOT did not move: the same value and the same samples
    assertEquals(Comparison.Verdict.NO_CHANGE, row(r, "p99_tpot_ms").cells().get(1).verdict());
  }

  @Test
  void aRunAgainstItselfHasNoChangeAndPassesAnyGate(@TempDir Path dir) throws IOException {
    Path a = run(dir, "a", x -> x, 50);
    Comparison.Result r = Comparison.of(List.of(RunResults.load(a, "a"), RunResults.load(a, "a#2")));
    for (Comparison.Row row : r.levels().get(0).rows()) {
      assertEquals(Comparison.Verdict.NO_CHANGE, row.cells().get(1).verdict(), row.metric());
    }
    assertTrue(Gate.breaches(r, Gate.parse("p99_ttft_ms>+0%,output_throughput<-0%,mean_tpot_ms>0")).isEmpty());
  }

  @Test
  void aFewRequestsCannotTellAndNeverBreak(@TempDir Path dir) throws IOException {
    Comparison.Result r = Comparison.of(List.of(RunResults.load(run(dir, "a", x -> x, 5), "a"),
        RunResults.load(run(dir, "b", x -> x * 2, 5), "b")));
    assertEquals(Comparison.Verdict.TOO_FEW, row(r, "p99_ttft_ms").cells().get(1).verdict());
    assertNull(row(r, "p99_ttft_ms").cells().get(1).pValue());
    assertTrue(Gate.breaches(r, Gate.parse("p99_ttft_ms>+10%")).isEmpty());
    assertTrue(CompareTables.markdown(r).contains("too few requests to tell"));
  }

  @Test
  void vllmsOwnResultFileIsReadAndMatchedByItsMeasuredLengths(@TempDir Path dir) throws IOException {
    Path theirs = dir.resolve("vllm-0.11.0-random-100-11-c32.json");
    JSON.writeValue(theirs.toFile(), level("org/model", 32, 40, x -> x * 1.5, false));
    RunResults v = RunResults.load(theirs, "vllm");
    assertEquals(1, v.levels().size());
    assertEquals(101, v.levels().get(0).inputLen()); // from input_lens: no random_input_len in vLLM's file
    Comparison.Result r = Comparison.of(List.of(RunResults.load(run(dir, "a", x -> x, 40), "a"), v));
    assertTrue(r.unmatched().isEmpty(), r.unmatched().toString());
    assertEquals(Comparison.Verdict.WORSE, row(r, "median_ttft_ms").cells().get(1).verdict());
  }

  @Test
  void badInputIsAClearError(@TempDir Path dir) throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RunResults.load(empty, "e")).getMessage()
        .contains("holds no level results"));
    Path other = Files.createDirectories(dir.resolve("other"));
    JSON.writeValue(other.resolve("x.json").toFile(), level("org/other", 32, 10, x -> x, true));
    RunResults a = RunResults.load(run(dir, "a", x -> x, 10), "a");
    String why = assertThrows(IllegalArgumentException.class,
        () -> Comparison.of(List.of(a, RunResults.load(other, "other")))).getMessage();
    assertEquals("other benchmarked org/other, a org/model: compare runs of one model", why);
    Path longer = Files.createDirectories(dir.resolve("longer"));
    Map<String, Object> l = level("org/model", 32, 10, x -> x, true);
    l.put("random_input_len", 1000);
    JSON.writeValue(longer.resolve("x.json").toFile(), l);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Comparison.of(List.of(a, RunResults.load(longer, "l"))))
        .getMessage().startsWith("no level matches across the runs"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Gate.parse("p99_ttft>+10%")).getMessage()
        .contains("unknown metric 'p99_ttft'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Gate.parse("p99_ttft_ms=10")).getMessage()
        .contains("is not METRIC>+N%"));
  }

  @Test
  void engineParametersAreSetSideBySide(@TempDir Path dir) throws IOException {
    Comparison.Result r = Comparison.of(List.of(RunResults.load(run(dir, "a", x -> x, 10), "a"),
        RunResults.load(run(dir, "b", x -> x, 10), "b")));
    Map<String, String> a = r.runs().get(0).engine();
    assertEquals("2", a.get("--tensor-parallel-size"));
    assertEquals("256", a.get("--max-num-seqs"));
    assertEquals("true", a.get("--enable-prefix-caching"));
    assertEquals("<redacted>", a.get("--api-key"));
    assertEquals("org/model", a.get("served model"));
    assertEquals("0.11.0", a.get("version"));
    assertEquals("32768 (source: /v1/models max_model_len)", a.get("max_model_len"));
    List<String> differing = CompareTables.engineRows(r).stream().filter(row -> row[row.length - 1] != null)
        .map(row -> row[0]).toList();
    assertEquals(List.of("--max-num-seqs"), differing);
    assertTrue(CompareTables.markdown(r).contains("| **--max-num-seqs** | 256 | 32 |"));
  }

  @Test
  void aPercentileIsJudgedByHowManyRequestsExceedTheBaselines() {
    double[] base = new double[200];
    double[] same = new double[200];
    double[] tail = new double[200];
    for (int i = 0; i < 200; i++) {
      base[i] = i;
      same[i] = i + 0.5;
      tail[i] = i < 180 ? i : 1000 + i; // the slowest tenth got far slower; the median did not move
    }
    assertTrue(Comparison.pValue("p99_ttft_ms", base, same, 0.5) > 0.05);
    assertTrue(Comparison.pValue("p99_ttft_ms", base, tail, 1000) < 1e-6); // 20 above the P99 where 2 are expected
    assertTrue(Comparison.pValue("median_ttft_ms", base, tail, 0) > 0.05);
    double[] faster = new double[200];
    for (int i = 0; i < 200; i++) {
      faster[i] = i * 0.7; // the whole tail a third lower: none above the baseline's P99, many of its above ours
    }
    assertTrue(Comparison.pValue("p99_ttft_ms", base, faster, -60) < 1e-6);
    // the test looks the way the value moved: the tail rising is no evidence for a fall
    assertTrue(Comparison.pValue("p99_ttft_ms", base, tail, -1) > 0.05);
    double p = Comparison.pValue("p99_ttft_ms", base, base, 0);
    assertTrue(p > 0.05 && p <= 1, "p = " + p);
  }

  private static Comparison.Row row(Comparison.Result r, String metric) {
    return r.levels().get(0).rows().stream().filter(x -> x.metric().equals(metric)).findFirst().orElseThrow();
  }
}
