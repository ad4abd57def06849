package llmbench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import llmbench.server.GpuSample;
import llmbench.server.NvidiaSmi;

/**
 * {@code mem_usage.txt}: a summary (before the run, peak per level, peak overall, total) and every
 * sample, each tagged with the profile/level that was running when it was taken.
 */
public final class MemUsage {
  /** When a level ran, in epoch ms. */
  public record Window(String name, long startMs, long endMs) {
    /** A level result's window, named "profile level" as the summary and the report name it. */
    public static Window of(llmbench.results.LevelResult result) {
      return new Window(result.name(), result.levelStartEpochMs(), result.levelEndEpochMs());
    }
  }

  private MemUsage() {}

  public static String tag(long epochMs, List<Window> windows) {
    for (Window w : windows) {
      if (epochMs >= w.startMs() && epochMs <= w.endMs()) {
        return w.name();
      }
    }
    return "-";
  }

  /** Peak used MiB summed over GPUs, per window name. */
  public static Map<String, Double> peakPerWindow(List<GpuSample> samples, List<Window> windows) {
    Map<String, Double> peak = new LinkedHashMap<>();
    for (Map.Entry<Long, Double> e : totalsByTime(samples).entrySet()) {
      String t = tag(e.getKey(), windows);
      if (!t.equals("-")) {
        peak.merge(t, e.getValue(), Math::max);
      }
    }
    return peak;
  }

  /** Sum over GPUs of the readings taken in one sampling round (same read time, to the ms). */
  private static TreeMap<Long, Double> totalsByTime(List<GpuSample> samples) {
    TreeMap<Long, Double> totals = new TreeMap<>();
    Map<String, Long> roundStart = new LinkedHashMap<>();
    for (GpuSample s : samples) {
      Long round = roundStart.computeIfAbsent(s.timestamp(), k -> s.epochMs());
      totals.merge(round, s.usedMiB(), Double::sum);
    }
    return totals;
  }

  public static String render(String unavailable, int intervalMs, List<GpuSample> samples,
      List<Window> windows, List<List<NvidiaSmi.GpuProcess>> processes) {
    StringBuilder sb = new StringBuilder();
    sb.append("# mem_usage.txt: GPU memory during the sweep (nvidia-smi every ").append(intervalMs).append(" ms)\n");
    if (unavailable != null) {
      sb.append(unavailable).append('\n');
      return sb.toString();
    }
    if (samples.isEmpty()) {
      sb.append("no samples were taken\n");
      return sb.toString();
    }
    sb.append("\n## Summary (MiB)\n");
    Map<Integer, GpuSample> first = new TreeMap<>();
    Map<Integer, GpuSample> peak = new TreeMap<>();
    for (GpuSample s : samples) {
      first.putIfAbsent(s.index(), s);
      peak.merge(s.index(), s, (a, b) -> b.usedMiB() > a.usedMiB() ? b : a);
    }
    for (GpuSample s : first.values()) {
      sb.append(String.format(Locale.ROOT, "before the run: GPU %d (%s): %.0f of %.0f MiB%n", s.index(), s.name(),
          s.usedMiB(), s.totalMiB()));
    }
    Map<String, Map<Integer, Double>> perLevel = new LinkedHashMap<>();
    for (Window w : windows) {
      perLevel.put(w.name(), new TreeMap<>());
    }
    for (GpuSample s : samples) {
      String t = tag(s.epochMs(), windows);
      if (perLevel.containsKey(t)) {
        perLevel.get(t).merge(s.index(), s.usedMiB(), Math::max);
      }
    }
    for (Map.Entry<String, Map<Integer, Double>> e : perLevel.entrySet()) {
      List<String> parts = new ArrayList<>();
      e.getValue().forEach((gpu, mib) -> parts.add(String.format(Locale.ROOT, "GPU %d %.0f", gpu, mib)));
      sb.append("peak during ").append(e.getKey()).append(": ")
          .append(parts.isEmpty() ? "no sample (level shorter than the interval)" : String.join(", ", parts)).append('\n');
    }
    for (GpuSample s : peak.values()) {
      sb.append(String.format(Locale.ROOT, "peak overall: GPU %d: %.0f of %.0f MiB (%s)%n", s.index(), s.usedMiB(),
          s.totalMiB(), tag(s.epochMs(), windows)));
    }
    double total = totalsByTime(samples).values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    sb.append(String.format(Locale.ROOT, "peak total over all GPUs: %.0f MiB%n", total));
    sb.append("\n## Per process (nvidia-smi --query-compute-apps, at start and end)\n");
    if (processes.isEmpty()) {
      sb.append("not available\n");
    }
    for (int i = 0; i < processes.size(); i++) {
      sb.append(i == 0 ? "start:" : "end:").append(processes.get(i).isEmpty() ? " no process listed" : "").append('\n');
      for (NvidiaSmi.GpuProcess p : processes.get(i)) {
        sb.append(String.format(Locale.ROOT, "  pid %d %s: %.0f MiB%n", p.pid(), p.name(), p.usedMiB()));
      }
    }
    sb.append("\n## Samples\n");
    sb.append("nvidia-smi time, level, gpu, name, used MiB, total MiB, util %, power W\n");
    for (GpuSample s : samples) {
      sb.append(String.format(Locale.ROOT, "%s, %s, %d, %s, %.0f, %.0f, %.0f, %.2f%n", s.timestamp(),
          tag(s.epochMs(), windows), s.index(), s.name(), s.usedMiB(), s.totalMiB(), s.utilizationPct(), s.powerW()));
    }
    return sb.toString();
  }
}
