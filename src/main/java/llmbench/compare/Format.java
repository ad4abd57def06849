package llmbench.compare;

import java.util.Locale;

/** Numbers as the comparison's tables print them. */
public final class Format {
  private Format() {}

  public static String num(Double v) {
    if (v == null) {
      return "";
    }
    double a = Math.abs(v);
    return String.format(Locale.ROOT, a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : "%.2f", v);
  }

  public static String change(Comparison.Cell c) {
    if (c.change() == null) {
      return "";
    }
    String pct = c.changePct() == null ? "" : String.format(Locale.ROOT, " (%+.1f%%)", c.changePct());
    return (c.change() >= 0 ? "+" : "") + num(c.change()) + pct;
  }
}
