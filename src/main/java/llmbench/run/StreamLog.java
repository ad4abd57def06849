package llmbench.run;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where Gatling's HTTP layer and Netty log about individual streams (logback.xml routes them
 * here): into a file beside the run's token timings while a run is open, counted by kind, so that a
 * server dying under 128 streams costs the console one summary line instead of 128 stack lines.
 * Outside a run they go to stderr as before. Logback builds appenders by reflection, so the open
 * file is static (logging wiring, like Gatling's).
 */
public final class StreamLog extends AppenderBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final Object LOCK = new Object();
  private static PrintWriter file;
  private static Path path;
  private static final Map<String, Integer> kinds = new LinkedHashMap<>();
  private static String firstAt;

  /** What a run's streams logged: counts by kind (numbers masked), the first one's time, the file. */
  public record Summary(Map<String, Integer> kinds, String firstAt, Path file) {
    public int total() {
      return kinds.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** One console line; empty when nothing was logged. */
    public String line() {
      if (kinds.isEmpty()) {
        return "";
      }
      StringBuilder b = new StringBuilder(total() + " lines from Gatling's HTTP layer and Netty about streams, from "
          + firstAt + ":");
      kinds.entrySet().stream().sorted((a, c) -> c.getValue() - a.getValue()).limit(3)
          .forEach(e -> b.append(' ').append(e.getValue()).append(" × \"").append(e.getKey()).append("\";"));
      return b.append(" all in ").append(file).toString();
    }
  }

  /** From now on the lines go to {@code f} (created), counted. */
  public static void open(Path f) throws IOException {
    synchronized (LOCK) {
      closeFile();
      file = new PrintWriter(Files.newBufferedWriter(f));
      path = f;
      kinds.clear();
      firstAt = null;
    }
  }

  /** Stops writing to the file; what was logged since {@link #open}. */
  public static Summary close() {
    synchronized (LOCK) {
      Summary s = new Summary(new LinkedHashMap<>(kinds), firstAt, path);
      closeFile();
      kinds.clear();
      return s;
    }
  }

  private static void closeFile() {
    if (file != null) {
      file.close();
      file = null;
    }
  }

  @Override
  protected void append(ILoggingEvent e) {
    String message = e.getFormattedMessage();
    IThrowableProxy t = e.getThrowableProxy();
    String text = TIME.format(Instant.ofEpochMilli(e.getTimeStamp())) + " " + e.getLevel() + " " + e.getLoggerName()
        + " - " + message + (t == null ? "" : " (" + t.getClassName() + ": " + t.getMessage() + ")");
    synchronized (LOCK) {
      if (file == null) {
        System.err.println(text);
        return;
      }
      file.println(text);
      file.flush();
      String kind = message.replaceAll("[0-9]+", "#");
      kinds.merge(kind.length() > 120 ? kind.substring(0, 120) + "..." : kind, 1, Integer::sum);
      if (firstAt == null) {
        firstAt = TIME.format(Instant.ofEpochMilli(e.getTimeStamp()));
      }
    }
  }
}
