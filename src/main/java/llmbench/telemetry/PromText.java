package llmbench.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader of Prometheus' text exposition format (version 0.0.4, which vLLM, SGLang, llama.cpp and
 * TGI serve). The Prometheus Java client only writes this format, so this is a small parser of the
 * sample lines: {@code name{label="value",...} value [timestamp]}; comments are skipped.
 */
public final class PromText {
  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  /** A line that is not a sample, with its number (1-based). */
  public static final class FormatError extends RuntimeException {
    public FormatError(int line, String why) {
      super("line " + line + " of the metrics text: " + why);
    }
  }

  private PromText() {}

  public static List<Sample> parse(String text) {
    List<Sample> out = new ArrayList<>();
    int lineNo = 0;
    for (String raw : text.split("\n", -1)) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      out.add(sample(line, lineNo));
    }
    return out;
  }

  private static Sample sample(String line, int lineNo) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    String name = line.substring(0, i);
    if (name.isEmpty()) {
      throw new FormatError(lineNo, "no metric name");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = labels(line, i + 1, labels, lineNo);
    }
    String[] rest = line.substring(i).strip().split("\\s+");
    if (rest.length == 0 || rest[0].isEmpty()) {
      throw new FormatError(lineNo, "no value for " + name);
    }
    return new Sample(name, labels, value(rest[0], lineNo));
  }

  /** Reads {@code a="x",b="y"}} from {@code i}; returns the index after the closing brace. */
  private static int labels(String line, int i, Map<String, String> labels, int lineNo) {
    while (true) {
      while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
        i++;
      }
      if (i >= line.length()) {
        throw new FormatError(lineNo, "unclosed label set");
      }
      if (line.charAt(i) == '}') {
        return i + 1;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        throw new FormatError(lineNo, "a label without a quoted value");
      }
      String key = line.substring(i, eq).strip();
      StringBuilder v = new StringBuilder();
      int j = eq + 2;
      for (; j < line.length() && line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\' && j + 1 < line.length()) {
          char n = line.charAt(++j);
          v.append(n == 'n' ? '\n' : n);
        } else {
          v.append(c);
        }
      }
      if (j >= line.length()) {
        throw new FormatError(lineNo, "unclosed label value of " + key);
      }
      labels.put(key, v.toString());
      i = j + 1;
    }
  }

  private static double value(String s, int lineNo) {
    return switch (s) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        try {
          yield Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new FormatError(lineNo, "value '" + s + "' is not a number");
        }
      }
    };
  }
}
