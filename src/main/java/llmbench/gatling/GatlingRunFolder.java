package llmbench.gatling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import llmbench.gatlinglog.SimulationLog;

/**
 * The folder Gatling made for a run. Gatling names it {@code <simulation>-<start>} when the run starts
 * and does not tell a simulation its name, so it is found once, at the run's end: the newest folder
 * of this simulation whose simulation.log names this class and a start after the simulation was built.
 */
final class GatlingRunFolder {
  private GatlingRunFolder() {}

  static Optional<Path> find(Path results, Class<?> simulation, long notBeforeEpochMs) throws IOException {
    String prefix = simulation.getSimpleName().toLowerCase(Locale.ROOT) + "-";
    try (Stream<Path> dirs = Files.list(results)) {
      return dirs.filter(d -> d.getFileName().toString().toLowerCase(Locale.ROOT).startsWith(prefix))
          .filter(d -> Files.isRegularFile(d.resolve("simulation.log")))
          .filter(d -> isOf(d, simulation.getName(), notBeforeEpochMs))
          .max(Comparator.comparing(d -> d.getFileName().toString()));
    }
  }

  private static boolean isOf(Path dir, String simulationClass, long notBefore) {
    try {
      SimulationLog.Run run = SimulationLog.readRun(dir.resolve("simulation.log"));
      return run.simulationClass().equals(simulationClass) && run.startEpochMs() >= notBefore;
    } catch (IOException e) {
      return false;
    }
  }
}
