package llmbench.gatling.llm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import llmbench.gatlinglog.SimulationLog;

/**
 * The folder Gatling made for a run. Nothing Gatling hands a protocol names it (FIELD_NOTES §24):
 * Gatling names it {@code <simulation>-<start>} under its results folder ({@code -rf}, the Maven
 * plugin's {@code target/gatling}) when the run starts. While the run goes, this process holds its
 * simulation.log open, which Linux shows under {@code /proc/self/fd}; elsewhere, or once it is closed,
 * the folder is the newest under the results folder whose simulation.log started after a given time.
 */
public final class RunFolders {
  private RunFolders() {}

  /**
   * The folder of the simulation.log this process has open now, the newest when several (Linux);
   * empty when none is open or the system does not tell.
   */
  static Optional<Path> openNow() {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return Optional.empty();
    }
    try (Stream<Path> links = Files.list(fds)) {
      return links.map(RunFolders::target)
          .filter(p -> p != null && p.getFileName() != null && p.getFileName().toString().equals("simulation.log"))
          .map(Path::getParent)
          .max(Comparator.comparing(p -> p.getFileName().toString()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Path target(Path link) {
    try {
      return Files.readSymbolicLink(link);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null; // closed since it was listed
    }
  }

  /**
   * Where Gatling writes run folders when the protocol was not told: the {@code -rf} (or
   * {@code --results-folder}) of this JVM's command line, else the Maven plugin's {@code target/gatling}.
   */
  static Path defaultRoot() {
    List<String> args = ProcessHandle.current().info().arguments().map(List::of).orElse(List.of());
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).equals("-rf") || args.get(i).equals("--results-folder")) {
        return Path.of(args.get(i + 1));
      }
    }
    return Path.of("target", "gatling");
  }

  /**
   * The newest run folder under {@code root} whose simulation.log started at {@code notBeforeEpochMs}
   * or later and, when {@code simulationClass} is given, names that class.
   */
  public static Optional<Path> find(Path root, String simulationClass, long notBeforeEpochMs) throws IOException {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("simulation.log")))
          .filter(d -> isOf(d, simulationClass, notBeforeEpochMs))
          .max(Comparator.comparing(d -> d.getFileName().toString()));
    }
  }

  private static boolean isOf(Path dir, String simulationClass, long notBefore) {
    try {
      SimulationLog.Run run = SimulationLog.readRun(dir.resolve("simulation.log"));
      return run.startEpochMs() >= notBefore && (simulationClass == null || run.simulationClass().equals(simulationClass));
    } catch (IOException e) {
      return false;
    }
  }
}
