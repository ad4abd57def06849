package llmbench.server;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/** The sweep's GPU readings as data ({@code gpu_samples.csv}), for the report's timeline. */
public final class GpuSamplesCsv {
  public static final String FILE_NAME = "gpu_samples.csv";
  private static final String[] HEADER = {"epoch_ms", "timestamp", "index", "name", "memory_used_mib",
      "memory_total_mib", "utilization_pct", "power_w"};
  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

  private GpuSamplesCsv() {}

  public static void write(Path file, List<GpuSample> samples) throws IOException {
    try (Writer w = Files.newBufferedWriter(file); CSVPrinter p = new CSVPrinter(w, FORMAT)) {
      p.printRecord((Object[]) HEADER);
      for (GpuSample s : samples) {
        p.printRecord(s.epochMs(), s.timestamp(), s.index(), s.name(), s.usedMiB(), s.totalMiB(),
            s.utilizationPct(), s.powerW());
      }
    }
  }

  /** The readings in the file; empty when there is none. */
  public static List<GpuSample> read(Path file) throws IOException {
    List<GpuSample> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try (Reader r = Files.newBufferedReader(file)) {
      for (CSVRecord c : FORMAT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        try {
          out.add(new GpuSample(Long.parseLong(c.get(0)), c.get(1), Integer.parseInt(c.get(2)), c.get(3),
              Double.parseDouble(c.get(4)), Double.parseDouble(c.get(5)), Double.parseDouble(c.get(6)),
              Double.parseDouble(c.get(7))));
        } catch (RuntimeException e) {
          // a torn line: skip it
        }
      }
    }
    return out;
  }
}
