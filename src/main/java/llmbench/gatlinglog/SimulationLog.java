package llmbench.gatlinglog;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader of Gatling's binary simulation.log (format of io.gatling.core.stats.writer.LogFileDataWriter,
 * Gatling 3.13+). Gatling says the format may change with any version, so the reader refuses a log
 * whose RUN record names another version than the one this project pins.
 */
public final class SimulationLog {
  public static final String SUPPORTED_VERSION = "3.15.1";

  private static final int RUN = 0;
  private static final int REQUEST = 1;
  private static final int USER = 2;
  private static final int GROUP = 3;
  private static final int ERROR = 4;

  /** The RUN record. */
  public record Run(String gatlingVersion, String simulationClass, long startEpochMs, String description,
      List<String> scenarios) {}

  /** A REQUEST record; times are ms since the run start. */
  public record Request(List<String> groups, String name, int startMs, int endMs, boolean ok, String message) {}

  /** A GROUP record; times are ms since the run start. */
  public record Group(List<String> groups, int startMs, int endMs, int cumulatedMs, boolean ok) {}

  public record Contents(Run run, List<Request> requests, List<Group> groups, List<String> errors, int users) {}

  private SimulationLog() {}

  public static Contents read(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return read(in);
    }
  }

  /** The RUN record alone: which simulation, when (the file's first bytes). */
  public static Run readRun(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 4096))) {
      if (in.read() != RUN) {
        throw new IOException("not a Gatling 3.13+ binary simulation.log");
      }
      return readRun(in);
    }
  }

  static Contents read(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    Map<Integer, String> cache = new HashMap<>();
    int header = in.read();
    if (header != RUN) {
      throw new IOException("not a Gatling 3.13+ binary simulation.log (first record " + header + ")");
    }
    Run run = readRun(in);
    if (!SUPPORTED_VERSION.equals(run.gatlingVersion())) {
      throw new IOException("simulation.log written by Gatling " + run.gatlingVersion()
          + "; this reader supports " + SUPPORTED_VERSION + " only");
    }
    List<Request> requests = new ArrayList<>();
    List<Group> groups = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    int users = 0;
    while (true) {
      int h = in.read();
      if (h < 0) {
        break;
      }
      try {
        switch (h) {
          case REQUEST -> {
            List<String> g = readGroups(in, cache);
            String name = cached(in, cache);
            int start = in.readInt();
            int end = in.readInt();
            boolean ok = in.readBoolean();
            requests.add(new Request(g, name, start, end, ok, cached(in, cache)));
          }
          case USER -> {
            in.readInt();
            if (in.readBoolean()) {
              users++;
            }
            in.readInt();
          }
          case GROUP -> {
            List<String> g = readGroups(in, cache);
            groups.add(new Group(g, in.readInt(), in.readInt(), in.readInt(), in.readBoolean()));
          }
          case ERROR -> {
            errors.add(cached(in, cache));
            in.readInt();
          }
          default -> throw new IOException("unknown record type " + h + " in simulation.log");
        }
      } catch (EOFException e) {
        break; // a run killed mid-write leaves a truncated last record: keep what was complete
      }
    }
    return new Contents(run, requests, groups, errors, users);
  }

  private static Run readRun(DataInputStream in) throws IOException {
    String version = string(in);
    String simulation = string(in);
    long start = in.readLong();
    String description = string(in);
    int n = in.readInt();
    List<String> scenarios = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      scenarios.add(string(in));
    }
    int assertions = in.readInt();
    for (int i = 0; i < assertions; i++) {
      in.skipNBytes(in.readInt());
    }
    return new Run(version, simulation, start, description, scenarios);
  }

  private static List<String> readGroups(DataInputStream in, Map<Integer, String> cache) throws IOException {
    int n = in.readInt();
    List<String> g = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      g.add(cached(in, cache));
    }
    return g;
  }

  private static String cached(DataInputStream in, Map<Integer, String> cache) throws IOException {
    int index = in.readInt();
    if (index >= 0) {
      String s = string(in);
      cache.put(index, s);
      return s;
    }
    String s = cache.get(-index);
    if (s == null) {
      throw new IOException("simulation.log refers to unknown cached string " + (-index));
    }
    return s;
  }

  /** int32 length, the JVM's internal bytes, then a coder byte (0 Latin-1, 1 UTF-16LE); "" is just 0. */
  private static String string(DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len == 0) {
      return "";
    }
    byte[] bytes = in.readNBytes(len);
    if (bytes.length < len) {
      throw new EOFException();
    }
    int coder = in.read();
    return switch (coder) {
      case 0 -> new String(bytes, StandardCharsets.ISO_8859_1);
      case 1 -> new String(bytes, StandardCharsets.UTF_16LE);
      default -> throw new IOException("bad string coder " + coder + " in simulation.log");
    };
  }
}
