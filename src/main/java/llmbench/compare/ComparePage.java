package llmbench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbench.report.html.Page;

/**
 * compare.html: the comparison's tables (changes beyond the noise coloured) and overlaid charts, one
 * line per run, in the sweep report's style and, like it, self-contained.
 */
public final class ComparePage {
  public static final String FILE_NAME = "compare.html";
  static final List<String> CHARTS = List.of("p99_ttft_ms", "median_ttft_ms", "p99_tpot_ms", "p99_itl_ms",
      "p99_e2el_ms", "output_throughput", "latency-throughput");

  /** What the charts draw: per run, per level, its shape and values. */
  record Series(String run, String profile, List<Map<String, Object>> points) {}

  record Run(String name, boolean baseline, String path) {}

  record EngineRow(String name, List<String> values, boolean differs) {}

  record CellView(String text, String cls) {}

  record RowView(String metric, List<CellView> cells) {}

  record LevelView(String name, List<RowView> rows) {}

  /** What compare.mustache reads. */
  record View(List<Run> runs, double alpha, String markdownName, List<String> charts, List<EngineRow> engine,
      List<LevelView> levels, List<String> unmatched, String noiseNote) {
    public boolean hasEngine() {
      return !engine.isEmpty();
    }

    public boolean hasUnmatched() {
      return !unmatched.isEmpty();
    }
  }

  private ComparePage() {}

  public static Path write(Comparison.Result r, String markdownName, Path out) throws IOException {
    return Page.write(out.resolve(FILE_NAME), render(r, markdownName));
  }

  static String render(Comparison.Result r, String markdownName) throws IOException {
    String title = "gatling-llm-bench: " + String.join(" vs ", r.runs().stream().map(RunResults::name).toList());
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < r.runs().size(); i++) {
      runs.add(new Run(r.runs().get(i).name(), i == 0, r.runs().get(i).path().toString()));
    }
    List<EngineRow> engine = new ArrayList<>();
    for (String[] row : CompareTables.engineRows(r)) {
      List<String> values = Arrays.stream(row, 1, row.length - 1).map(v -> v == null ? "" : v).toList();
      engine.add(new EngineRow(row[0], values, row[row.length - 1] != null));
    }
    List<LevelView> levels = new ArrayList<>();
    for (Comparison.MatchedLevel level : r.levels()) {
      List<RowView> rows = new ArrayList<>();
      for (Comparison.Row row : level.rows()) {
        rows.add(new RowView(row.metric(), row.cells().stream().map(c -> new CellView(
            CompareTables.cell(c).replace("**", ""), c.verdict() == Comparison.Verdict.WORSE ? "worse"
                : c.verdict() == Comparison.Verdict.BETTER ? "better" : null)).toList()));
      }
      levels.add(new LevelView(level.name(), rows));
    }
    View view = new View(runs, Comparison.ALPHA, markdownName, CHARTS, engine, levels, r.unmatched(), r.noiseNote());
    return Page.render(title, "td.worse { background: #fbd5d5; } td.better { background: #d5f5dd; } "
        + "tr.differs th { background: #fff3c4; }", "compare.mustache", view, Map.of("series", series(r)), "compare.js");
  }

  static List<Series> series(Comparison.Result r) {
    List<Series> out = new ArrayList<>();
    for (RunResults run : r.runs()) {
      Map<String, List<Map<String, Object>>> byProfile = new LinkedHashMap<>();
      for (RunResults.Level l : run.levels()) {
        Map<String, Object> p = new LinkedHashMap<>(l.values());
        p.put("concurrency", l.concurrency());
        if (l.runs().size() > 1) { // a repeated level: each run's value as a point beside the mean's line
          Map<String, double[]> each = new LinkedHashMap<>();
          l.values().keySet().forEach(m -> each.put(m, l.runValues(m)));
          p.put("runs", each);
        }
        byProfile.computeIfAbsent(l.profile(), k -> new ArrayList<>()).add(p);
      }
      byProfile.forEach((profile, points) -> out.add(new Series(run.name(), profile, points)));
    }
    return out;
  }
}
