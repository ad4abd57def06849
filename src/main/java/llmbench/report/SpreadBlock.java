package llmbench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import llmbench.results.LevelSpread;
import llmbench.stats.RunSpread;

/**
 * A repeated level's spread over its runs, for the console (after vLLM's block of each run) and for
 * summary.csv's rows of the mean, standard deviation, CV and interval ends.
 */
public final class SpreadBlock {
  private SpreadBlock() {}

  /** The block: each headline metric's mean, ± the interval's half-width, its ends, SD and CV. */
  public static String render(LevelSpread s) {
    StringBuilder sb = new StringBuilder();
    double confidence = s.metrics().values().stream().findFirst().map(RunSpread::confidence).orElse(0.95);
    String title = String.format(Locale.ROOT, " %s %s over %d runs (%s CI, Student's t) ", s.profile(), s.level(),
        s.runs(), pct(confidence));
    int pad = Math.max(0, 78 - title.length());
    sb.append("=".repeat(pad / 2)).append(title).append("=".repeat(pad - pad / 2)).append('\n');
    sb.append(String.format(Locale.ROOT, "%-24s %12s %12s %25s %10s %7s%n", "metric", "mean", "± half", "interval",
        "SD", "CV"));
    s.metrics().forEach((m, r) -> sb.append(String.format(Locale.ROOT, "%-24s %12.2f %12s %25s %10.2f %6.1f%%%n", m,
        r.mean(), r.halfWidth() == null ? "" : String.format(Locale.ROOT, "%.2f", r.halfWidth()),
        r.ciLow() == null ? "" : String.format(Locale.ROOT, "%.2f .. %.2f", r.ciLow(), r.ciHigh()), r.std(),
        r.cv() * 100)));
    sb.append("runs: ").append(String.join(", ", s.files())).append('\n');
    return sb.toString();
  }

  /**
   * summary.csv's rows of one repeated level: {@code header}'s cells, the headline metrics' columns
   * filled and the others blank; the last column ({@code run}) names the row's statistic.
   *
   * @param columnOfMetric each header cell's metric key (null: not a headline metric)
   */
  public static List<List<String>> csvRows(LevelSpread s, List<String> columnOfMetric, int profileCol, int levelCol) {
    double confidence = s.metrics().values().stream().findFirst().map(RunSpread::confidence).orElse(0.95);
    String ci = pct(confidence) + " CI";
    String[] stats = {"mean of " + s.runs() + " runs", "std", "cv %", ci + " low", ci + " high"};
    List<List<String>> rows = new ArrayList<>();
    for (String stat : stats) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < columnOfMetric.size(); i++) {
        String key = columnOfMetric.get(i);
        RunSpread r = key == null ? null : s.metrics().get(key);
        cells.add(i == profileCol ? s.profile() : i == levelCol ? s.level() : r == null ? "" : cell(r, stat));
      }
      cells.add(stat);
      rows.add(cells);
    }
    return rows;
  }

  private static String cell(RunSpread r, String stat) {
    Double v = stat.startsWith("mean") ? Double.valueOf(r.mean()) : stat.equals("std") ? Double.valueOf(r.std())
        : stat.equals("cv %") ? Double.valueOf(r.cv() * 100) : stat.endsWith("low") ? r.ciLow() : r.ciHigh();
    return v == null ? "" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String pct(double confidence) {
    return new java.math.BigDecimal(Double.toString(confidence * 100)).stripTrailingZeros().toPlainString() + "%";
  }
}
