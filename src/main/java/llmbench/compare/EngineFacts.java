package llmbench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * engine_params.txt as key → value, to set runs side by side: the launch command's arguments
 * ({@code --tensor-parallel-size 2} → {@code --tensor-parallel-size: 2}; a flag alone → {@code true}),
 * the version, and every {@code key: value} line of the other sections (model, max_model_len, cache
 * configuration, ...). Secrets were redacted when the file was written.
 */
public final class EngineFacts {
  private EngineFacts() {}

  public static Map<String, String> read(Path file) throws IOException {
    Map<String, String> facts = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return facts;
    }
    List<String> lines = Files.readAllLines(file);
    String section = "";
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("## ")) {
        section = line.substring(3);
        continue;
      }
      if (line.startsWith("#") || line.isBlank() || line.startsWith("source:")) {
        continue;
      }
      if (section.equals("Launch command")) {
        launchArgs(line, facts);
      } else if (line.strip().startsWith("\"version\"")) {
        facts.putIfAbsent("version", line.replaceAll(".*:\\s*\"?([^\",]*)\"?,?\\s*$", "$1"));
      } else if (!line.startsWith(" ") && line.matches("[A-Za-z_][A-Za-z0-9_ ./-]*: .*")) {
        int c = line.indexOf(": ");
        facts.putIfAbsent(line.substring(0, c), line.substring(c + 2));
      }
    }
    return facts;
  }

  private static void launchArgs(String command, Map<String, String> facts) {
    String[] t = command.strip().split("\\s+");
    for (int i = 0; i < t.length; i++) {
      if (t[i].startsWith("--")) {
        int eq = t[i].indexOf('=');
        if (eq > 0) {
          facts.put(t[i].substring(0, eq), t[i].substring(eq + 1));
        } else if (i + 1 < t.length && !t[i + 1].startsWith("--")) {
          facts.put(t[i], t[++i]);
        } else {
          facts.put(t[i], "true");
        }
      } else if (i > 0 && t[i - 1].equals("serve")) {
        facts.putIfAbsent("served model", t[i]);
      }
    }
  }
}
