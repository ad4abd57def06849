package llmbench.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a trace ({@link TraceFormat}) as a stream, keeping only the entries of a {@link TraceWindow}
 * and stopping once it is full, so that a week of Azure's trace costs the heap only the slice replayed.
 * Every row read is checked: a missing column, a length that is not a whole number ≥ 0, or a timestamp
 * before the one above it is one line naming the file and the line. Rows with 0 output tokens (BurstGPT's
 * failed requests) or 0 input tokens are skipped and counted.
 */
public final class TraceFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Azure's clock: {@code 2023-11-16 18:17:03.9799600}, or with {@code +00:00} (2024). */
  private static final DateTimeFormatter AZURE_TIME = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .toFormatter();

  /**
   * What was read.
   *
   * @param entries the window's entries, arrival times from the trace's first entry
   * @param rows rows read (up to where the window ended)
   * @param failed rows skipped for 0 output tokens
   * @param empty rows skipped for 0 input tokens
   */
  public record Read(List<TraceEntry> entries, int rows, int failed, int empty) {}

  private TraceFile() {}

  public static Read read(TraceFormat format, Path file, TraceWindow window) throws IOException {
    Collector c = new Collector(file, window, format);
    if (format == TraceFormat.MOONCAKE || format == TraceFormat.TIMED_TRACE) {
      readJsonl(file, format, c);
    } else {
      readCsv(file, format, c);
    }
    return new Read(c.kept, c.rows, c.failed, c.empty);
  }

  private static void readJsonl(Path file, TraceFormat format, Collector c) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int n = 0;
      for (String text; (text = reader.readLine()) != null; ) {
        n++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw c.error(n, "not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        }
        if (node == null || !node.isObject()) {
          throw c.error(n, "not a JSON object");
        }
        double t = number(c, n, node, "timestamp") * format.secondsPerUnit();
        int in = length(c, n, node.get("input_length"), "input_length");
        int out = length(c, n, node.get("output_length"), "output_length");
        JsonNode ids = node.get("hash_ids");
        long[] hashIds = new long[0];
        if (ids != null && !ids.isNull()) {
          if (!ids.isArray()) {
            throw c.error(n, "\"hash_ids\" must be a list of block ids");
          }
          hashIds = new long[ids.size()];
          for (int i = 0; i < hashIds.length; i++) {
            if (!ids.get(i).canConvertToLong()) {
              throw c.error(n, "\"hash_ids\" must hold whole numbers, not " + ids.get(i));
            }
            hashIds[i] = ids.get(i).asLong();
          }
        }
        if (!c.offer(n, t, in, out, hashIds)) {
          return;
        }
      }
    }
  }

  private static void readCsv(Path file, TraceFormat format, Collector c) throws IOException {
    boolean azure = format == TraceFormat.AZURE;
    String time = azure ? "TIMESTAMP" : "Timestamp";
    String input = azure ? "ContextTokens" : "Request tokens";
    String output = azure ? "GeneratedTokens" : "Response tokens";
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).build().parse(r)) {
      Map<String, Integer> header = csv.getHeaderMap();
      for (String column : List.of(time, input, output)) {
        if (header == null || !header.containsKey(column)) {
          throw c.error(1, "no column \"" + column + "\" (a " + format.id() + " trace has " + time + ", " + input
              + " and " + output + "; this header has " + (header == null ? "nothing" : header.keySet()) + ")");
        }
      }
      Double first = null;
      for (CSVRecord row : csv) {
        int n = (int) row.getRecordNumber() + 1; // the header is line 1
        if (!row.isConsistent()) {
          throw c.error(n, "has " + row.size() + " fields, the header " + header.size());
        }
        double t;
        if (azure) {
          double epoch = azureSeconds(c, n, row.get(time));
          first = first == null ? epoch : first;
          t = epoch - first; // wall-clock: relative to the first entry
        } else {
          t = parseNumber(c, n, row.get(time), time);
        }
        int in = parseLength(c, n, row.get(input), input);
        int out = parseLength(c, n, row.get(output), output);
        if (!c.offer(n, t, in, out, new long[0])) {
          return;
        }
      }
    } catch (java.io.UncheckedIOException e) {
      throw c.error(-1, "not a readable CSV (" + e.getCause().getMessage() + ")");
    }
  }

  /** Epoch seconds of an Azure timestamp (no offset: UTC). */
  private static double azureSeconds(Collector c, int line, String text) {
    try {
      TemporalAccessor t = AZURE_TIME.parse(text);
      long epochS;
      int nanos = t.isSupported(ChronoField.NANO_OF_SECOND) ? t.get(ChronoField.NANO_OF_SECOND) : 0;
      if (t.isSupported(ChronoField.OFFSET_SECONDS)) {
        epochS = OffsetDateTime.from(t).toEpochSecond();
      } else {
        epochS = LocalDateTime.from(t).toEpochSecond(ZoneOffset.UTC);
      }
      return epochS + nanos / 1e9;
    } catch (DateTimeParseException e) {
      throw c.error(line, "TIMESTAMP '" + text + "' is not a time like 2023-11-16 18:17:03.9799600");
    }
  }

  private static double number(Collector c, int line, JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      throw c.error(line, "no \"" + key + "\"");
    }
    if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < 0) {
      throw c.error(line, "\"" + key + "\" must be a number >= 0, not " + v);
    }
    return v.asDouble();
  }

  private static int length(Collector c, int line, JsonNode v, String key) {
    if (v == null || v.isNull()) {
      throw c.error(line, "no \"" + key + "\"");
    }
    if (!v.canConvertToInt() || v.isFloatingPointNumber() && v.asDouble() != Math.rint(v.asDouble())) {
      throw c.error(line, "\"" + key + "\" must be a whole number of tokens >= 0, not " + v);
    }
    int n = v.asInt();
    if (n < 0) {
      throw c.error(line, "\"" + key + "\" must be a whole number of tokens >= 0, not " + n);
    }
    return n;
  }

  private static double parseNumber(Collector c, int line, String text, String column) {
    try {
      double d = Double.parseDouble(text);
      if (d >= 0 && Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw c.error(line, column + " must be a number of seconds >= 0, not '" + text + "'");
  }

  private static int parseLength(Collector c, int line, String text, String column) {
    try {
      double d = Double.parseDouble(text);
      if (d >= 0 && d == Math.rint(d) && d <= Integer.MAX_VALUE) {
        return (int) d;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw c.error(line, column + " must be a whole number of tokens >= 0, not '" + text + "'");
  }

  /** Checks the order, skips what cannot be sent, and keeps the window's entries. */
  private static final class Collector {
    final Path file;
    final TraceWindow window;
    final TraceFormat format;
    final List<TraceEntry> kept = new ArrayList<>();
    double previous = Double.NEGATIVE_INFINITY;
    int previousLine;
    Double origin;
    int rows;
    int failed;
    int empty;

    Collector(Path file, TraceWindow window, TraceFormat format) {
      this.file = file;
      this.window = window;
      this.format = format;
    }

    /** False once the window is full or over: reading stops. */
    boolean offer(int line, double t, int in, int out, long[] hashIds) {
      if (t < previous) {
        throw error(line, "timestamp " + t + " s is before line " + previousLine + "'s (" + previous
            + " s): a trace must be in time order");
      }
      previous = t;
      previousLine = line;
      origin = origin == null ? t : origin;
      double at = t - origin;
      if (window.after(at) || window.full(kept.size())) {
        return false;
      }
      rows++;
      if (window.before(at)) {
        return true;
      }
      if (out == 0) {
        failed++;
      } else if (in == 0) {
        empty++;
      } else {
        kept.add(new TraceEntry(line, at, in, out, hashIds));
      }
      return true;
    }

    IllegalArgumentException error(int line, String what) {
      return new IllegalArgumentException(format.id() + ":" + file + (line > 0 ? " line " + line : "") + ": " + what);
    }
  }
}
