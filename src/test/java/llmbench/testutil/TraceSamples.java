package llmbench.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Traces in the formats the replay reads (FIELD_NOTES §21), generated here (no downloads), with what
 * each row holds, so that a test knows what should reach the server and when.
 */
public final class TraceSamples {
  /** One generated request: seconds after the first, lengths, block ids. */
  public record Row(double atS, int input, int output, long[] hashIds) {}

  private TraceSamples() {}

  /**
   * {@code n} Mooncake rows ~{@code rate}/s, at least {@code minGapS} apart (so that two rows never race
   * to the server): prompts of 1 to 4 blocks of 512 whose ids share prefixes (the first block one of 3
   * "system prompts", later ones drawn from few ids), every input length unique, so that a row is known
   * by its length at the server.
   */
  public static List<Row> mooncake(int n, double rate, double minGapS, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    double t = 0;
    for (int i = 0; i < n; i++) {
      t += minGapS - Math.log(1 - r.nextDouble()) / rate;
      int blocks = 1 + r.nextInt(4);
      long[] ids = new long[blocks];
      for (int j = 0; j < blocks; j++) {
        ids[j] = j == 0 ? r.nextInt(3) : j == 1 ? 10 + r.nextInt(4) : 100 + r.nextInt(1000);
      }
      int input = 512 * (blocks - 1) + 20 + i; // unique, and the last block partial
      rows.add(new Row(Math.floor(t * 1000) / 1000, input, 3 + r.nextInt(12), ids));
    }
    return rows;
  }

  public static Path writeMooncake(Path file, List<Row> rows, double secondsPerUnit) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Row row : rows) {
      StringBuilder ids = new StringBuilder();
      for (long id : row.hashIds()) {
        ids.append(ids.length() == 0 ? "" : ", ").append(id);
      }
      double ts = row.atS() / secondsPerUnit;
      lines.add(String.format(Locale.ROOT, "{\"timestamp\": %s, \"input_length\": %d, \"output_length\": %d, "
          + "\"hash_ids\": [%s]}", secondsPerUnit == 1e-3 ? Long.toString(Math.round(ts)) : Double.toString(ts),
          row.input(), row.output(), ids));
    }
    return Files.write(file, lines);
  }

  /** Azure's CSV, wall-clock times from {@code start}; with {@code offset}, the 2024 style ({@code +00:00}). */
  public static Path writeAzure(Path file, List<Row> rows, LocalDateTime start, boolean offset) throws IOException {
    DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSS");
    List<String> lines = new ArrayList<>(List.of("TIMESTAMP,ContextTokens,GeneratedTokens"));
    for (Row row : rows) {
      LocalDateTime at = start.plusNanos(Math.round(row.atS() * 1e9));
      lines.add(f.format(at) + (offset ? "+00:00" : "") + "," + row.input() + "," + row.output());
    }
    return Files.write(file, lines);
  }

  /** BurstGPT's CSV; a row with output 0 is a failed request. */
  public static Path writeBurstGpt(Path file, List<Row> rows, double startS) throws IOException {
    List<String> lines = new ArrayList<>(List.of("Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type"));
    for (Row row : rows) {
      lines.add(String.format(Locale.ROOT, "%.3f,ChatGPT,%d,%d,%d,Conversation log", startS + row.atS(), row.input(),
          row.output(), row.input() + row.output()));
    }
    return Files.write(file, lines);
  }

  /** Rows without blocks, ~{@code rate}/s, unique input lengths from {@code minInput}. */
  public static List<Row> plain(int n, double rate, int minInput, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    double t = 0;
    for (int i = 0; i < n; i++) {
      rows.add(new Row(Math.floor(t * 1000) / 1000, minInput + 7 * i, 2 + r.nextInt(10), new long[0]));
      t += -Math.log(1 - r.nextDouble()) / rate;
    }
    return rows;
  }
}
