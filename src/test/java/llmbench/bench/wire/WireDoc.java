package llmbench.bench.wire;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The wire benchmark's part of docs/PERFORMANCE.md: its targets with verdicts, and a table per server. */
public final class WireDoc {
  private WireDoc() {}

  /** Target rows ({@code | target | this run | met |}) for the wire results. */
  @SuppressWarnings("unchecked")
  public static void targets(List<Map<String, Object>> wire, StringBuilder sb) {
    for (Map<String, Object> t : wire) {
      List<Map<String, Object>> rows = (List<Map<String, Object>>) t.get("rows");
      if (rows == null || rows.isEmpty()) {
        continue;
      }
      String name = (String) t.get("target");
      double mean = worst(rows, "ttft_error_ms", "mean");
      double p99 = worst(rows, "ttft_error_ms", "p99");
      double delay = worst(rows, "chunk_delay_ms", "p99");
      boolean busy = name.startsWith("busy");
      boolean plain = name.startsWith("plain");
      String runs = t.get("runs") + " fresh client JVMs, " + levels(rows) + " levels each";
      if (busy) {
        row(sb, "every level, busy mock: mean TTFT error ≤ 5 ms, TTFT error p99 ≤ 20 ms, chunk delay p99 ≤ 10 ms (" + runs + ")",
            "worst level: " + f(mean) + " / " + f(p99) + " / " + f(delay) + " ms", mean <= 5 && p99 <= 20 && delay <= 10);
      } else if (plain) {
        row(sb, "every level, plain mock: mean TTFT error ≤ 1 ms and TTFT error p99 ≤ 3 ms on the wire (" + runs + ")",
            "worst level: " + f(mean) + " / " + f(p99) + " ms", mean <= 1 && p99 <= 3);
      } else {
        row(sb, "every level, " + name + " (" + runs + ")", "worst level: mean TTFT error " + f(mean) + ", p99 " + f(p99)
            + ", chunk delay p99 " + f(delay) + " ms", true);
      }
      double ratio = worstToMedianRun(rows);
      row(sb, "worst run ≤ 2 × the median run (" + name + "; worst level of each run, TTFT error mean / p99, chunk delay p99)",
          "× " + f(ratio), ratio <= 2);
      double cpu = worst(rows, "client_cpu_us_per_chunk", null);
      row(sb, "client CPU ≤ 30 µs per chunk inside every level, a fresh JVM's first included (" + name + ")",
          "worst level " + f(cpu) + " µs; median level " + f(median(rows, "client_cpu_us_per_chunk")) + " µs", cpu <= 30);
      if (rows.get(0).containsKey("client_records_not_on_wire")) { // results from before it did not count
        double lost = rows.stream().mapToDouble(r -> num(r.get("client_records_not_on_wire"))).sum();
        row(sb, "every request the client recorded is found on the wire (" + name + ")", f(lost) + " not found",
            lost == 0);
      }
      if (rows.get(0).containsKey("wire_within_mock_write_flush")) {
        double agree = rows.stream().mapToDouble(r -> num(r.get("wire_within_mock_write_flush"))).min().orElse(0);
        row(sb, "the wire and the mock's record agree (" + name + ": captured chunks between the mock's write and flush stamps)",
            f(100 * agree) + " % of chunks in the worst level", agree >= 0.99);
      }
    }
  }

  /** The section: how it was measured, then per server a table of each level's median and worst run. */
  @SuppressWarnings("unchecked")
  public static void section(List<Map<String, Object>> wire, StringBuilder sb) {
    sb.append("## 6. The wire: the client against a packet capture\n\n"
        + "`bench/run.sh --only wire [--url URL] [--runs N] [--profiles low,medium]`: the sweep as a user runs it "
        + "(`./run_test.sh`, a fresh client JVM per run) while tcpdump captures loopback; the capture is reassembled "
        + "in Java (`llmbench.bench.wire`), requests are matched by `X-Request-Id`, and per level: TTFT error = "
        + "client TTFT − (first chunk with choices − first byte of the POST) on the wire; chunk delay = client stamp − "
        + "capture time (the capture's CLOCK_REALTIME mapped to CLOCK_MONOTONIC by an offset read in the benchmark "
        + "JVM, checked against the mock's own record); send delay = start stamp → the POST's first byte. "
        + "The busy mock runs `--busy-threads 2 --close-connections`: two threads spin while it has work, as GPU "
        + "engines' busy loops and CPU-bound servers do, and it closes each streamed connection after `[DONE]`.\n\n");
    for (Map<String, Object> t : wire) {
      List<Map<String, Object>> summary = (List<Map<String, Object>>) t.get("summary");
      if (summary == null) {
        continue;
      }
      sb.append("### ").append(t.get("target")).append(" (").append(t.get("runs")).append(" runs; median run / worst run)\n\n")
          .append("| level | TTFT error mean ms | TTFT error p99 ms | chunk delay p99 ms | first chunk's delay p99 ms "
              + "| ITL error p99 ms | send delay mean ms | client CPU µs/chunk |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
      for (Map<String, Object> s : summary) {
        sb.append("| ").append(s.get("level"));
        for (String[] fig : WireBench.FIGURES) {
          String k = fig[0] + "_" + fig[1];
          sb.append(" | ").append(f(num(s.get(k + "_median")))).append(" / ").append(f(num(s.get(k + "_worst"))));
        }
        sb.append(" |\n");
      }
      sb.append('\n');
    }
  }

  /**
   * A real server's runs (issue 30's check): every level of every run against the wire, the client's
   * self-check beside it, and whether its flag was right: within the level's targets (TTFT error mean
   * ≤ 5 ms and p99 ≤ 20 ms, chunk delay p99 ≤ 10 ms) and not flagged, or beyond them and flagged.
   */
  @SuppressWarnings("unchecked")
  public static void serverSection(List<Map<String, Object>> wire, StringBuilder sb) {
    for (Map<String, Object> t : wire) {
      List<Map<String, Object>> rows = (List<Map<String, Object>>) t.get("rows");
      if (rows == null || rows.isEmpty()) {
        continue;
      }
      sb.append("## 6b. The wire on a real server: ").append(t.get("target")).append(" (").append(t.get("runs"))
          .append(" fresh runs)\n\n`bench/run.sh --only wire --url URL --tokenizer DIR --profiles low --runs N`, "
              + "each run `./run_test.sh` in a fresh JVM under a loopback capture. Self-check: the loops' lag as the "
              + "level's chunks met it (p99) and as its TTFT stamps met it (requests written after a connect, first chunks; worst); flagged: the level's result says its "
              + "stamps were late. Verdict: *ok* (within the targets, no flag), *flagged* (beyond them, flagged), "
              + "*false flag* (within them, flagged), *missed* (beyond them, no flag). Targets: TTFT error mean ≤ 5 ms "
              + "and p99 ≤ 20 ms, chunk delay p99 ≤ 10 ms.\n\n"
              + "| run | level | TTFT error mean / p99 ms | chunk delay p99 / max ms | self-check: chunk lag p99 ms "
              + "| self-check: TTFT stamps' lag max ms | JIT ms | flagged | verdict | run's process CPU s |\n"
              + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
      Map<String, Integer> verdicts = new LinkedHashMap<>();
      Map<Object, Double> cpuByRun = new LinkedHashMap<>();
      for (Map<String, Object> r : rows) {
        double tm = WireBench.figure(r, "ttft_error_ms", "mean");
        double tp = WireBench.figure(r, "ttft_error_ms", "p99");
        double cp = WireBench.figure(r, "chunk_delay_ms", "p99");
        boolean flagged = Boolean.TRUE.equals(r.get("client_disturbed"));
        boolean within = Math.abs(tm) <= 5 && Math.abs(tp) <= 20 && cp <= 10;
        String verdict = within ? (flagged ? "false flag" : "ok") : (flagged ? "flagged" : "missed");
        verdicts.merge(verdict, 1, Integer::sum);
        cpuByRun.put(r.get("run"), num(r.get("process_cpu_s")));
        sb.append("| ").append(r.get("run")).append(" | ").append(r.get("level")).append(" | ").append(f(tm))
            .append(" / ").append(f(tp)).append(" | ").append(f(cp)).append(" / ")
            .append(f(WireBench.figure(r, "chunk_delay_ms", "max"))).append(" | ")
            .append(f(WireBench.figure(r, "client_event_loop_lag_p99_ms", "value"))).append(" | ")
            .append(f(WireBench.figure(r, "client_first_chunk_lag_max_ms", "value"))).append(" | ")
            .append(String.format(Locale.ROOT, "%.0f", WireBench.figure(r, "client_jit_ms", "value"))).append(" | ")
            .append(flagged ? "yes" : "no").append(" | ").append(verdict).append(" | ")
            .append(r.get("process_cpu_s") == null ? "" : String.format(Locale.ROOT, "%.1f", num(r.get("process_cpu_s"))))
            .append(" |\n");
      }
      List<Double> sorted = cpuByRun.values().stream().filter(v -> !Double.isNaN(v)).sorted().toList();
      sb.append("\nVerdicts over ").append(rows.size()).append(" levels: ").append(verdicts).append(". ");
      if (!sorted.isEmpty()) {
        sb.append(String.format(Locale.ROOT, "Whole client process CPU per run (start, warm-up, levels, results; GNU "
            + "time): median %.1f s, worst %.1f s.", sorted.get((sorted.size() - 1) / 2), sorted.get(sorted.size() - 1)));
      }
      sb.append("\n\n");
    }
  }

  private static void row(StringBuilder sb, String target, String value, boolean met) {
    sb.append("| ").append(target).append(" | ").append(value).append(" | ").append(met ? "yes" : "no").append(" |\n");
  }

  private static long levels(List<Map<String, Object>> rows) {
    return rows.stream().filter(r -> num(r.get("run")) == 1).count();
  }

  private static double worst(List<Map<String, Object>> rows, String key, String stat) {
    return rows.stream().mapToDouble(r -> Math.abs(WireBench.figure(r, key, stat == null ? "value" : stat)))
        .filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
  }

  private static double median(List<Map<String, Object>> rows, String key) {
    double[] v = rows.stream().mapToDouble(r -> WireBench.figure(r, key, "value")).filter(x -> !Double.isNaN(x)).sorted().toArray();
    return v.length == 0 ? Double.NaN : v[v.length / 2];
  }

  /** For each of three figures, each run's worst level; the largest ratio of the worst run to the median run. */
  static double worstToMedianRun(List<Map<String, Object>> rows) {
    Map<Object, List<Map<String, Object>>> byRun = new LinkedHashMap<>();
    for (Map<String, Object> r : rows) {
      byRun.computeIfAbsent(r.get("run"), k -> new ArrayList<>()).add(r);
    }
    double ratio = 0;
    for (String[] fig : new String[][] {{"ttft_error_ms", "mean"}, {"ttft_error_ms", "p99"}, {"chunk_delay_ms", "p99"}}) {
      List<Double> perRun = new ArrayList<>();
      for (List<Map<String, Object>> run : byRun.values()) {
        perRun.add(worst(run, fig[0], fig[1]));
      }
      perRun.sort(Comparator.naturalOrder());
      double median = perRun.get((perRun.size() - 1) / 2);
      ratio = Math.max(ratio, median > 0 ? perRun.get(perRun.size() - 1) / median : 1);
    }
    return ratio;
  }

  private static double num(Object v) {
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
