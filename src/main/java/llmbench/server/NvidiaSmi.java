package llmbench.server;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Parsers for nvidia-smi's CSV output (with or without headers and units), as printed by
 * {@code --query-gpu=timestamp,index,name,memory.used,memory.total,utilization.gpu,power.draw}
 * and {@code --query-compute-apps=pid,process_name,used_memory}.
 */
public final class NvidiaSmi {
  public static final List<String> GPU_QUERY = List.of("nvidia-smi",
      "--query-gpu=timestamp,index,name,memory.used,memory.total,utilization.gpu,power.draw",
      "--format=csv,noheader,nounits");
  public static final List<String> APPS_QUERY = List.of("nvidia-smi",
      "--query-compute-apps=pid,process_name,used_memory", "--format=csv,noheader,nounits");
  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true)
      .setIgnoreEmptyLines(true).get();

  /** A process holding GPU memory. */
  public record GpuProcess(int pid, String name, double usedMiB) {}

  private NvidiaSmi() {}

  /** One line of the GPU query; null for a header line or a line nvidia-smi did not fill. */
  public static GpuSample parseGpuLine(String line, long epochMs) {
    List<String> f = fields(line);
    if (f.size() < 7 || f.get(0).startsWith("timestamp")) {
      return null;
    }
    try {
      return new GpuSample(epochMs, f.get(0), Integer.parseInt(f.get(1)), f.get(2), number(f.get(3)),
          number(f.get(4)), number(f.get(5)), number(f.get(6)));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public static List<GpuProcess> parseApps(String output) {
    List<GpuProcess> out = new ArrayList<>();
    for (String line : output.split("\\R")) {
      List<String> f = fields(line);
      if (f.size() < 3 || f.get(0).startsWith("pid")) {
        continue;
      }
      try {
        out.add(new GpuProcess(Integer.parseInt(f.get(0)), f.get(1), number(f.get(2))));
      } catch (NumberFormatException ignored) {
        // "[N/A]" memory: nothing to report for that process
      }
    }
    return out;
  }

  private static List<String> fields(String line) {
    try {
      List<CSVRecord> records = FORMAT.parse(new StringReader(line)).getRecords();
      return records.isEmpty() ? List.of() : records.get(0).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** "8634 MiB", "70.04 W", "0 %", "[N/A]" → a number (NaN when not available). */
  static double number(String s) {
    String t = s.replaceAll("[^0-9.\\-]", " ").trim();
    if (t.isEmpty()) {
      return Double.NaN;
    }
    return Double.parseDouble(t.split("\\s+")[0]);
  }
}
