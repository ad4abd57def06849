package llmbench.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import llmbench.config.Repeats;
import llmbench.results.LevelResult;
import llmbench.results.LevelSpread;
import llmbench.stats.RunSpread;

/**
 * {@code --until-stable METRIC:PCT}: after each run of a repeated profile, whether every level's
 * confidence interval of the metric is within PCT % of its mean. One line says why the repeats stop,
 * or, after the last run allowed, which levels never got there.
 */
final class StableCheck {
  private StableCheck() {}

  /** The line that ends the repeats, or null to run again. */
  static String check(List<LevelResult> runs, Repeats repeats) {
    Repeats.Stability want = repeats.untilStable();
    List<LevelSpread> spreads = LevelSpread.of(runs, repeats.confidence());
    int done = runs.stream().mapToInt(LevelResult::run).max().orElse(0);
    if (spreads.isEmpty()) {
      return null; // one run so far: no interval yet
    }
    List<String> wide = new ArrayList<>();
    List<String> narrow = new ArrayList<>();
    for (LevelSpread s : spreads) {
      RunSpread r = s.metrics().get(want.metric());
      Double half = r == null ? null : r.halfWidthPct();
      String text = s.level() + (half == null ? " (no value)" : String.format(Locale.ROOT, " ±%.1f%%", half));
      (half != null && half <= want.pct() ? narrow : wide).add(text);
    }
    if (wide.isEmpty()) {
      return String.format(Locale.ROOT, "stable after %d runs: %s within %s%% of its mean at every level (%s)", done,
          want.metric(), plain(want.pct()), String.join(", ", narrow));
    }
    if (done >= repeats.count()) {
      return String.format(Locale.ROOT, "not stable after %d runs (--repeat %d): %s wider than %s%% of its mean at %s",
          done, repeats.count(), want.metric(), plain(want.pct()), String.join(", ", wide));
    }
    return null;
  }

  private static String plain(double v) {
    return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }
}
