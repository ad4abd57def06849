package llmbench.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import llmbench.trace.RequestRecord;
import llmbench.trace.TraceFiles;

/** The run folder of a test's one simulation under its results folder, and what it recorded. */
public final class GatlingRuns {
  private GatlingRuns() {}

  /** The (first) run folder Gatling wrote under {@code results}. */
  public static Path only(Path results) throws IOException {
    try (Stream<Path> dirs = Files.list(results)) {
      return dirs.filter(Files::isDirectory).findFirst().orElseThrow(
          () -> new IllegalStateException("no Gatling run folder under " + results));
    }
  }

  /** The token records of that run's levels, the warm-up left out. */
  public static List<RequestRecord> measured(Path results) throws IOException {
    List<RequestRecord> out = new ArrayList<>();
    TraceFiles.forEach(only(results).resolve(TraceFiles.FILE_NAME), r -> {
      if (!r.warmup()) {
        out.add(r);
      }
    });
    return out;
  }
}
