package llmbench.telemetry;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** The scraper's CSV file, read back as one {@link Scrape} per scrape. */
public final class TelemetryCsv {
  static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

  /** One scrape: when, during which level ("" between levels), why (tick, start, end), our series. */
  public record Scrape(long epochMs, String level, String event, Map<String, Double> values) {
    public Double get(String series) {
      return values.get(series);
    }
  }

  private TelemetryCsv() {}

  /** Writes scrapes in the scraper's format. */
  public static void write(Path file, List<Scrape> scrapes) throws IOException {
    try (java.io.Writer w = Files.newBufferedWriter(file); org.apache.commons.csv.CSVPrinter p =
        new org.apache.commons.csv.CSVPrinter(w, FORMAT)) {
      p.printRecord((Object[]) MetricsScraper.HEADER);
      for (Scrape s : scrapes) {
        for (Map.Entry<String, Double> e : s.values().entrySet()) {
          p.printRecord(s.epochMs(), s.level(), s.event(), e.getKey(), e.getValue());
        }
      }
    }
  }

  /** Every scrape in the file, in order; empty when there is no file. A torn last line is dropped. */
  public static List<Scrape> read(Path file) throws IOException {
    List<Scrape> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try (Reader r = Files.newBufferedReader(file)) {
      Scrape current = null;
      for (CSVRecord rec : FORMAT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        if (rec.size() < MetricsScraper.HEADER.length) {
          continue;
        }
        long t;
        double v;
        try {
          t = Long.parseLong(rec.get(0));
          v = Double.parseDouble(rec.get(4));
        } catch (NumberFormatException e) {
          continue;
        }
        if (current == null || current.epochMs() != t || !current.level().equals(rec.get(1))
            || !current.event().equals(rec.get(2))) {
          current = new Scrape(t, rec.get(1), rec.get(2), new LinkedHashMap<>());
          out.add(current);
        }
        current.values().put(rec.get(3), v);
      }
    }
    return out;
  }
}
