package llmbench.compare;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The comparison as Markdown (compare.md, and the console) and as CSV (compare.csv, one value per line). */
public final class CompareTables {
  private CompareTables() {}

  public static String markdown(Comparison.Result r) {
    StringBuilder b = new StringBuilder("# Comparison of " + r.runs().size() + " runs\n\n");
    for (int i = 0; i < r.runs().size(); i++) {
      RunResults run = r.runs().get(i);
      b.append("- **").append(run.name()).append("**").append(i == 0 ? " (the baseline)" : "").append(": `")
          .append(run.path()).append("`, ").append(run.model()).append(", ").append(run.levels().size()).append(" levels\n");
    }
    b.append("\nA change is judged on the per-request samples, two-sided, p < ").append(Comparison.ALPHA)
        .append(" (means: Welch's t-test; medians: Mann–Whitney U; percentiles: binomial tests of the requests above ")
        .append("the other run's percentile, both ways), with at least ").append(Comparison.MIN_SAMPLES)
        .append(" requests on each side; level-wide values (throughput, failures, GPU memory) have no noise test. ")
        .append("The tests see the noise within each run, not the drift between runs. Where both sides ran a level ")
        .append("two times or more (--repeat), a change is judged on the runs' values instead (Welch's t-test over ")
        .append("the runs: the run-to-run noise itself, its CV shown); where a side ran once and a noise figure is ")
        .append("given (--noise, --noise-from), by a z-test of the change against it.\n\n")
        .append(r.noiseNote()).append(".\n");
    List<String[]> engine = engineRows(r);
    if (!engine.isEmpty()) {
      b.append("\n## Engine parameters (differences in bold)\n\n| parameter |");
      r.runs().forEach(run -> b.append(' ').append(run.name()).append(" |"));
      b.append("\n| --- |").append(" --- |".repeat(r.runs().size())).append('\n');
      for (String[] row : engine) {
        boolean differs = row[row.length - 1] != null;
        b.append("| ").append(differs ? "**" + row[0] + "**" : row[0]).append(" |");
        for (int i = 1; i < row.length - 1; i++) {
          b.append(' ').append(row[i] == null ? "" : row[i].replace("|", "\\|")).append(" |");
        }
        b.append('\n');
      }
    }
    for (Comparison.MatchedLevel level : r.levels()) {
      b.append("\n## ").append(level.name()).append("\n\n| metric |");
      for (int i = 0; i < r.runs().size(); i++) {
        RunResults.Level l = level.levels().get(i);
        b.append(' ').append(r.runs().get(i).name()).append(l == null ? "" : " (" + l.label() + ")").append(" |");
      }
      b.append("\n| --- |").append(" --- |".repeat(r.runs().size())).append('\n');
      for (Comparison.Row row : level.rows()) {
        b.append("| ").append(row.metric()).append(" |");
        for (Comparison.Cell c : row.cells()) {
          b.append(' ').append(cell(c)).append(" |");
        }
        b.append('\n');
      }
    }
    if (!r.unmatched().isEmpty()) {
      b.append("\n## Levels without a match\n\n");
      r.unmatched().forEach(u -> b.append("- ").append(u).append('\n'));
    }
    return b.toString();
  }

  /** Value, then for the other runs the change and the verdict (Markdown bold when beyond the noise). */
  public static String cell(Comparison.Cell c) {
    if (c.value() == null) {
      return "";
    }
    if (c.verdict() == null) {
      return Format.num(c.value());
    }
    String v = Format.num(c.value()) + " " + Format.change(c);
    String verdict = c.verdict().words() + (c.pValue() == null ? "" : String.format(Locale.ROOT, ", p = %.2g", c.pValue()))
        + (c.test() == Comparison.Test.RUNS ? String.format(Locale.ROOT, " over %d runs", c.runs()) : "")
        + (c.noisePct() == null ? "" : String.format(Locale.ROOT, ", noise %.1f%%", c.noisePct()));
    boolean beyond = c.verdict() == Comparison.Verdict.BETTER || c.verdict() == Comparison.Verdict.WORSE;
    return beyond ? "**" + v + " " + verdict + "**" : v + " " + verdict;
  }

  /** parameter, value per run, and a last element that is non-null when the values differ. */
  public static List<String[]> engineRows(Comparison.Result r) {
    Set<String> keys = new LinkedHashSet<>();
    r.runs().forEach(run -> keys.addAll(run.engine().keySet()));
    List<String[]> rows = new ArrayList<>();
    for (String k : keys) {
      String[] row = new String[r.runs().size() + 2];
      row[0] = k;
      Set<String> distinct = new LinkedHashSet<>();
      for (int i = 0; i < r.runs().size(); i++) {
        row[i + 1] = r.runs().get(i).engine().get(k);
        distinct.add(String.valueOf(row[i + 1]));
      }
      row[row.length - 1] = distinct.size() > 1 ? "differs" : null;
      rows.add(row);
    }
    return rows;
  }

  /** The console's table: per level the headline metrics only (compare.md has them all). */
  public static String console(Comparison.Result r) {
    List<String> headline = List.of("output_throughput", "request_throughput", "median_ttft_ms", "p99_ttft_ms",
        "p99_tpot_ms", "p99_itl_ms", "p99_e2el_ms", "failed", Metrics.PEAK_GPU);
    StringBuilder b = new StringBuilder();
    for (Comparison.MatchedLevel level : r.levels()) {
      b.append('\n').append(level.name()).append('\n');
      for (Comparison.Row row : level.rows()) {
        if (!headline.contains(row.metric())) {
          continue;
        }
        b.append(String.format(Locale.ROOT, "  %-20s", row.metric()));
        for (Comparison.Cell c : row.cells()) {
          b.append(String.format(Locale.ROOT, " | %-12s", cell(c).replace("**", "")));
        }
        b.append('\n');
      }
    }
    return b.toString();
  }

  public static String csv(Comparison.Result r) throws IOException {
    StringWriter w = new StringWriter();
    try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').setHeader(
        "level", "input_len", "output_len", "concurrency", "metric", "run", "run_level", "value", "change",
        "change_pct", "p_value", "verdict", "test", "runs", "noise_cv_pct").get())) {
      for (Comparison.MatchedLevel level : r.levels()) {
        for (Comparison.Row row : level.rows()) {
          for (int i = 0; i < row.cells().size(); i++) {
            Comparison.Cell c = row.cells().get(i);
            RunResults.Level l = level.levels().get(i);
            p.printRecord(level.base().label(), level.base().inputLen(), level.base().outputLen(),
                level.base().concurrency(), row.metric(), r.runs().get(i).name(), l == null ? "" : l.label(),
                c.value(), c.change(), c.changePct(), c.pValue(), c.verdict() == null ? "" : c.verdict().words(),
                c.test() == null ? "" : c.test().name().toLowerCase(Locale.ROOT), c.runs(), c.noisePct());
          }
        }
      }
    }
    return w.toString();
  }
}
