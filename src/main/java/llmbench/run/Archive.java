package llmbench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** An output folder's earlier results, moved aside before a new sweep writes there: nothing is lost. */
public final class Archive {
  private Archive() {}

  /**
   * Moves every earlier result in {@code out} to {@code archive/<date>/}; null if none. Leaves
   * archive/, the README and vision_WxH/ folders (another sweep's results) where they are.
   */
  public static Path previousRun(Path out) throws IOException {
    List<Path> old;
    try (Stream<Path> files = Files.list(out)) {
      old = files.filter(p -> {
        String n = p.getFileName().toString();
        return !n.equals("archive") && !n.equals("README.md") && !n.startsWith("vision_");
      }).toList();
    }
    if (old.isEmpty()) {
      return null;
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
    Path dir = out.resolve("archive").resolve(stamp);
    for (int i = 1; Files.exists(dir); i++) {
      dir = out.resolve("archive").resolve(stamp + "-" + i);
    }
    Files.createDirectories(dir);
    for (Path p : old) {
      Files.move(p, dir.resolve(p.getFileName()));
    }
    return dir;
  }
}
