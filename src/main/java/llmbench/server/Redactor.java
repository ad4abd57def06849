package llmbench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Removes secrets (API keys, tokens, passwords) from command lines and JSON before they are written. */
public final class Redactor {
  public static final String REDACTED = "<redacted>";
  private static final Pattern SECRET_NAME = Pattern.compile(
      "(?i)-*(.*(api[-_]?key|secret|password|passwd|credential).*|(.*[-_])?token)");
  private static final Pattern SECRET_VALUE = Pattern.compile("(sk-[A-Za-z0-9_-]{8,}|hf_[A-Za-z0-9]{8,}|Bearer\\s+\\S+)");

  private Redactor() {}

  /** {@code --api-key X}, {@code --api-key=X}, {@code HF_TOKEN=X} and key-like values become {@value #REDACTED}. */
  public static List<String> commandLine(List<String> args) {
    List<String> out = new ArrayList<>(args.size());
    boolean hideNext = false;
    boolean classpathNext = false;
    for (String a : args) {
      if (classpathNext) {
        out.add("<classpath of " + a.split(":").length + " entries>"); // a JVM's, long and not secret
        classpathNext = false;
        continue;
      }
      classpathNext = a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path");
      if (hideNext && !a.startsWith("--")) {
        out.add(REDACTED);
        hideNext = false;
        continue;
      }
      hideNext = false;
      int eq = a.indexOf('=');
      String name = eq > 0 ? a.substring(0, eq) : a;
      if (SECRET_NAME.matcher(name).matches()) {
        if (eq > 0) {
          out.add(name + "=" + REDACTED);
        } else {
          out.add(a);
          hideNext = a.startsWith("-");
        }
        continue;
      }
      out.add(SECRET_VALUE.matcher(a).replaceAll(REDACTED));
    }
    return out;
  }

  public static String text(String s) {
    return SECRET_VALUE.matcher(s).replaceAll(REDACTED);
  }

  /** A copy of {@code node} with secret-named fields and key-like values replaced. */
  public static JsonNode json(JsonNode node) {
    JsonNode copy = node.deepCopy();
    scrub(copy);
    return copy;
  }

  private static void scrub(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (SECRET_NAME.matcher(e.getKey()).matches() && !e.getValue().isNull()
            && !e.getValue().isContainerNode()) {
          e.setValue(o.textNode(REDACTED));
        } else if (e.getValue().isTextual()) {
          e.setValue(o.textNode(text(e.getValue().asText())));
        } else {
          scrub(e.getValue());
        }
      }
    } else if (node != null && node.isArray()) {
      for (JsonNode child : node) {
        scrub(child);
      }
    }
  }
}
