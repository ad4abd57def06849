package llmbench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regression gate: {@code --fail-if 'p99_ttft_ms>+10%,output_throughput<-5%'}. A limit is a
 * result key, {@code >} or {@code <}, and a signed change, relative ({@code %}) or absolute (in the
 * metric's unit). A level breaches it when a run's change against the first run crosses it and is
 * beyond the noise: a latency change must pass the noise test; a level-wide value has none, so its
 * limit is the margin; a level with too few requests cannot breach.
 */
public final class Gate {
  public record Limit(String metric, boolean above, double amount, boolean relative, String text) {}

  private static final Pattern LIMIT = Pattern.compile("([a-z0-9_]+)\\s*([<>])\\s*([+-]?[0-9]+(?:\\.[0-9]+)?)(%?)");

  private Gate() {}

  public static List<Limit> parse(String spec) {
    List<Limit> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      String t = part.strip();
      Matcher m = LIMIT.matcher(t);
      if (!m.matches()) {
        throw new IllegalArgumentException("--fail-if: '" + t + "' is not METRIC>+N% or METRIC<-N (e.g. p99_ttft_ms>+10%)");
      }
      if (!Metrics.KEYS.contains(m.group(1))) {
        throw new IllegalArgumentException("--fail-if: unknown metric '" + m.group(1) + "' (use one of "
            + String.join(", ", Metrics.KEYS) + ")");
      }
      out.add(new Limit(m.group(1), m.group(2).equals(">"), Double.parseDouble(m.group(3)), !m.group(4).isEmpty(), t));
    }
    return out;
  }

  /** One line per breach; empty when the gate passes. */
  public static List<String> breaches(Comparison.Result result, List<Limit> limits) {
    List<String> out = new ArrayList<>();
    for (Comparison.MatchedLevel level : result.levels()) {
      for (Comparison.Row row : level.rows()) {
        for (Limit limit : limits) {
          if (!limit.metric().equals(row.metric())) {
            continue;
          }
          for (int i = 1; i < row.cells().size(); i++) {
            Comparison.Cell c = row.cells().get(i);
            Double change = limit.relative() ? c.changePct() : c.change();
            if (change == null || c.verdict() == Comparison.Verdict.NO_CHANGE || c.verdict() == Comparison.Verdict.TOO_FEW) {
              continue;
            }
            boolean crossed = limit.above() ? change > limit.amount() : change < limit.amount();
            if (crossed) {
              out.add(String.format(Locale.ROOT, "%s, %s: %s %s%.1f%s (%s → %s%s) breaks %s", level.base().label(),
                  result.runs().get(i).name(), row.metric(), change >= 0 ? "+" : "", change, limit.relative() ? "%" : "",
                  Format.num(row.cells().get(0).value()), Format.num(c.value()),
                  c.pValue() == null ? ", no noise test" : String.format(Locale.ROOT, ", p = %.3g %s", c.pValue(),
                      c.test().words()) + (c.noisePct() == null ? ""
                      : String.format(Locale.ROOT, ", run-to-run noise %.1f%%", c.noisePct())), limit.text()));
            }
          }
        }
      }
    }
    return out;
  }
}
