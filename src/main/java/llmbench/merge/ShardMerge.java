package llmbench.merge;

import com.fasterxml.jackson.databind.SequenceWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import llmbench.report.PostProcessor;
import llmbench.report.RunInfo;
import llmbench.results.LevelResult;
import llmbench.results.ResultFiles;
import llmbench.run.Archive;
import llmbench.run.SweepEnd;
import llmbench.server.GpuSample;
import llmbench.server.GpuSamplesCsv;
import llmbench.stats.VllmMetrics;
import llmbench.telemetry.MetricsScraper;
import llmbench.trace.RequestRecord;
import llmbench.trace.ShardTimes;
import llmbench.trace.TraceFiles;

/**
 * The shards' output folders as one run: for each profile, every shard's records on one timeline
 * (shard 0's clock: each shard's stamps moved by its anchor and the clock offset measured at the
 * barriers; a request's own durations are differences on its shard's monotonic clock, untouched),
 * written as one run folder and post-processed as any run is, so that every percentile comes from
 * the union of the samples. Then the summary, mem_usage.txt (shard 0 read the GPUs) and the report.
 * A level that lacks a shard is said to be partial, with its counts.
 */
public final class ShardMerge {
  /** One shard's run of one profile: its Gatling run folder and what it wrote there. */
  record ShardRun(Path shardOut, Path runDir, RunInfo info, ShardTimes times) {}

  private ShardMerge() {}

  /** Merges {@code shardOuts} (each a shard's --out folder) into {@code out}; returns the merged levels. */
  public static List<LevelResult> merge(Path out, List<Path> shardOuts, VllmMetrics.TextTokenCounter counter,
      PrintStream console) throws IOException {
    Map<String, List<ShardRun>> byProfile = read(shardOuts);
    for (Path s : shardOuts) {
      if (s.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
        throw new IllegalArgumentException("OUT must not be one of the shard folders: " + out);
      }
    }
    Files.createDirectories(out);
    Path archived = Archive.previousRun(out);
    if (archived != null) {
      console.println("the previous results moved to " + archived);
    }
    List<LevelResult> results = new ArrayList<>();
    ShardRun shard0 = null;
    for (List<ShardRun> runs : byProfile.values()) {
      results.addAll(mergeProfile(out, runs, counter, console));
      shard0 = runs.stream().filter(r -> r.times().index() == 0).findFirst().orElse(shard0);
    }
    gpuAndSummary(out, shard0, results, console);
    return results;
  }

  /** Every shard's run folders, by profile; folders that do not belong together are refused. */
  static Map<String, List<ShardRun>> read(List<Path> shardOuts) throws IOException {
    Map<String, List<ShardRun>> byProfile = new LinkedHashMap<>();
    ShardRun first = null;
    for (Path shardOut : shardOuts) {
      Path gatling = shardOut.resolve("gatling");
      if (!Files.isDirectory(gatling)) {
        throw new IllegalArgumentException(shardOut + " is not a shard's output folder (no gatling/ in it)");
      }
      List<Path> infos;
      try (Stream<Path> dirs = Files.list(gatling)) {
        infos = dirs.map(d -> d.resolve(RunInfo.FILE_NAME)).filter(Files::isRegularFile).sorted().toList();
      }
      if (infos.isEmpty()) {
        throw new IllegalArgumentException(shardOut + " holds no run (no gatling/*/" + RunInfo.FILE_NAME + ")");
      }
      for (Path f : infos) {
        RunInfo info = RunInfo.read(f);
        if (info.shard() == null) {
          throw new IllegalArgumentException(f.getParent() + " is not a shard's run (it ran without --shard)");
        }
        ShardRun run = new ShardRun(shardOut, f.getParent(), info, info.shard());
        if (first == null) {
          first = run;
        } else {
          refuseMismatch(first, run);
        }
        List<ShardRun> runs = byProfile.computeIfAbsent(info.profile(), k -> new ArrayList<>());
        for (ShardRun other : runs) {
          if (other.times().index() == run.times().index()) {
            throw new IllegalArgumentException(run.runDir() + " and " + other.runDir() + " are both shard "
                + run.times().index() + " of profile " + info.profile());
          }
        }
        runs.add(run);
      }
    }
    return byProfile;
  }

  private static void refuseMismatch(ShardRun a, ShardRun b) {
    ShardTimes x = a.times();
    ShardTimes y = b.times();
    String why = x.count() != y.count() ? "a sweep of " + x.count() + " shards, the other of " + y.count()
        : x.seed() != y.seed() ? "seed " + x.seed() + ", the other " + y.seed()
        : !a.info().baseUrl().equals(b.info().baseUrl()) ? "server " + a.info().baseUrl() + ", the other " + b.info().baseUrl()
        : x.sweepId() != null && y.sweepId() != null && !x.sweepId().equals(y.sweepId())
            ? "sweep " + x.sweepId() + " (shard 0's name for it), the other " + y.sweepId()
        : null;
    if (why != null) {
      throw new IllegalArgumentException(a.runDir() + " and " + b.runDir() + " are not shards of one sweep: " + why);
    }
  }

  private static List<LevelResult> mergeProfile(Path out, List<ShardRun> runs, VllmMetrics.TextTokenCounter counter,
      PrintStream console) throws IOException {
    runs.sort(Comparator.comparingInt(r -> r.times().index()));
    ShardRun ref = runs.get(0);
    int count = ref.times().count();
    Set<Integer> present = new TreeSet<>();
    runs.forEach(r -> present.add(r.times().index()));
    Set<Integer> missing = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      if (!present.contains(i)) {
        missing.add(i);
      }
    }
    Path merged = Files.createDirectories(out.resolve("gatling").resolve(ref.runDir().getFileName()));
    Map<Integer, Long> delta = new TreeMap<>();
    for (ShardRun r : runs) {
      delta.put(r.times().index(), toReference(r.times(), ref.times()));
    }
    Map<String, RunInfo.LevelInputs> levels = levels(runs, count);
    // when each shard really sent its first request of each level, on shard 0's clock
    Map<String, Map<Integer, Long>> firstSent = new TreeMap<>();
    try (SequenceWriter w = TraceFiles.writer(merged.resolve(TraceFiles.FILE_NAME))) {
      for (ShardRun r : runs) {
        int index = r.times().index();
        long d = delta.get(index);
        long dMs = Math.round((r.times().offsetNs() - ref.times().offsetNs()) / 1e6);
        TraceFiles.forEach(r.runDir().resolve(TraceFiles.FILE_NAME), rec -> {
          RunInfo.LevelInputs l = levels.get(rec.level());
          RequestRecord moved = rec.onClock(d, dMs, l == null || l.concurrency() == null ? rec.concurrency() : l.concurrency());
          write(w, moved);
          long zero = levelZero(r, rec.level());
          // a rate level's request is due at its own time: its start less its due offset is the shard's level start
          long sent = rec.dueNs() == 0 || zero == 0 ? moved.startNs() : moved.startNs() - (rec.dueNs() - zero);
          firstSent.computeIfAbsent(rec.level(), k -> new TreeMap<>()).merge(index, sent, Math::min);
        });
      }
    }
    for (Map.Entry<String, RunInfo.LevelInputs> e : levels.entrySet()) {
      Map<Integer, Long> starts = firstSent.getOrDefault(e.getKey(), Map.of());
      if (starts.size() > 1) {
        long spread = starts.values().stream().mapToLong(Long::longValue).max().getAsLong()
            - starts.values().stream().mapToLong(Long::longValue).min().getAsLong();
        e.setValue(e.getValue().withMerged(e.getValue().merged().withStartSpread(spread / 1e6)));
      }
    }
    ShardRun first = runs.stream().filter(r -> r.times().index() == 0).findFirst().orElse(null);
    if (first != null && Files.isRegularFile(first.runDir().resolve(MetricsScraper.FILE_NAME))) {
      Files.copy(first.runDir().resolve(MetricsScraper.FILE_NAME), merged.resolve(MetricsScraper.FILE_NAME),
          StandardCopyOption.REPLACE_EXISTING); // shard 0 alone read the server's /metrics
    }
    List<String> notes = new ArrayList<>(ref.info().notes());
    if (!missing.isEmpty()) {
      notes.add("merged from " + present.size() + " of " + count + " shards: shard" + (missing.size() == 1 ? " " : "s ")
          + missing + " missing, every level is partial");
    }
    Map<String, Object> meta = new LinkedHashMap<>(ref.info().metadata());
    meta.put("shards", count);
    meta.put("shards_merged", List.copyOf(present));
    RunInfo info = ref.info().with(levels, notes, meta, null);
    info.write(merged.resolve(RunInfo.FILE_NAME));
    console.println("=== profile " + info.profile() + ": " + present.size() + " of " + count + " shards ===");
    return PostProcessor.process(new PostProcessor.Input(info, merged, out, null, counter, Set.of()), console);
  }

  /**
   * The nanoseconds to add to a shard's stamps to put them on the reference shard's clock: both
   * clocks to wall time by their anchors, the shard's to shard 0's by its measured offset.
   */
  static long toReference(ShardTimes s, ShardTimes ref) {
    return (s.anchorEpochNs() - s.anchorNanoTime() + s.offsetNs()) - (ref.anchorEpochNs() - ref.anchorNanoTime()
        + ref.offsetNs());
  }

  /** Each level's facts over the shards: the whole level's shape, partial when a shard is missing. */
  private static Map<String, RunInfo.LevelInputs> levels(List<ShardRun> runs, int count) {
    Map<String, RunInfo.LevelInputs> out = new LinkedHashMap<>();
    Set<String> labels = new java.util.LinkedHashSet<>();
    runs.forEach(r -> {
      if (r.info().levels() != null) {
        labels.addAll(r.info().levels().keySet());
      }
    });
    ShardTimes coordinator = runs.stream().map(ShardRun::times).filter(t -> t.index() == 0).findFirst().orElse(null);
    String profile = runs.get(0).info().profile();
    for (String label : labels) {
      RunInfo.LevelInputs base = null;
      int sent = 0;
      long buildMs = 0;
      long builtAt = Long.MAX_VALUE;
      List<String> warnings = new ArrayList<>();
      Map<String, Double> offsets = new TreeMap<>();
      long rtt = 0;
      Set<Integer> absent = new TreeSet<>();
      for (int i = 0; i < count; i++) {
        absent.add(i);
      }
      for (ShardRun r : runs) {
        RunInfo.LevelInputs l = r.info().levels() == null ? null : r.info().levels().get(label);
        int index = r.times().index();
        offsets.put(Integer.toString(index), r.times().offsetNs() / 1e6);
        rtt = Math.max(rtt, r.times().offsetRttNs());
        if (l == null) {
          continue; // its folder is here but not the level: it ended before
        }
        absent.remove(index);
        base = base == null ? l : base;
        sent += l.plannedPrompts();
        buildMs = Math.max(buildMs, l.buildMs());
        builtAt = Math.min(builtAt, l.builtAtEpochMs());
        if (l.client() != null && index != runs.get(0).times().index()) {
          l.client().disturbances().forEach(d -> warnings.add("shard " + index + ": " + d));
        }
      }
      RunInfo.ShardLevel whole = base.shard();
      int wholePrompts = whole != null ? whole.wholePrompts() : sent;
      int wholeUsers = whole != null ? whole.wholeUsers() : base.concurrency() == null ? 0 : base.concurrency();
      RunInfo.MergedLevel merged = new RunInfo.MergedLevel(count, List.copyOf(absent), null, offsets, rtt / 1e6);
      if (!absent.isEmpty()) {
        warnings.add(0, "partial level: shard" + (absent.size() == 1 ? " " : "s ") + absent + " of " + count
            + " missing; " + sent + " of the level's " + wholePrompts + " requests were planned by the shards merged");
      }
      if (coordinator != null) {
        coordinator.meetings().stream().filter(m -> m.problem() != null && m.name().startsWith(profile + " " + label + " "))
            .forEach(m -> warnings.add(m.name() + ": " + m.problem()));
      }
      out.put(label, new RunInfo.LevelInputs(sent, buildMs, builtAt == Long.MAX_VALUE ? 0 : builtAt, base.client(),
          wholeUsers, base.inputLen(), base.outputLen(), warnings, null, merged, null));
    }
    return out;
  }

  /** When shard {@code r} started level {@code label} ({@code nanoTime}), 0 when unknown. */
  private static long levelZero(ShardRun r, String label) {
    RunInfo.LevelInputs l = r.info().levels() == null ? null : r.info().levels().get(label);
    return l == null || l.shard() == null ? 0 : l.shard().startNanoTime();
  }

  private static void write(SequenceWriter w, RequestRecord r) {
    try {
      w.write(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The summary, the report and mem_usage.txt from shard 0's GPU readings. */
  private static void gpuAndSummary(Path out, ShardRun shard0, List<LevelResult> results, PrintStream console)
      throws IOException {
    List<GpuSample> samples = List.of();
    String unavailable = "shard 0's folder is not among the merged ones: no GPU readings";
    if (shard0 != null) {
      Path csv = shard0.shardOut().resolve(GpuSamplesCsv.FILE_NAME);
      samples = Files.isRegularFile(csv) ? GpuSamplesCsv.read(csv) : List.of();
      unavailable = samples.isEmpty() ? "shard 0 recorded no GPU readings (see its mem_usage.txt)" : null;
      for (String f : List.of("engine_params.txt")) {
        if (Files.isRegularFile(shard0.shardOut().resolve(f))) {
          Files.copy(shard0.shardOut().resolve(f), out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    new SweepEnd(out, out.resolve("gatling"), console, () -> ResultFiles.full(out))
        .write(results, unavailable, interval(samples), samples, List.of());
  }

  /** nvidia-smi's interval, as the samples show it (the median gap), for mem_usage.txt's header. */
  private static int interval(List<GpuSample> samples) {
    long[] times = samples.stream().mapToLong(GpuSample::epochMs).distinct().sorted().toArray(); // one per sweep of the GPUs
    long[] gaps = new long[Math.max(0, times.length - 1)];
    for (int i = 1; i < times.length; i++) {
      gaps[i - 1] = times[i] - times[i - 1];
    }
    java.util.Arrays.sort(gaps);
    return gaps.length == 0 ? 1000 : (int) Math.max(1, gaps[gaps.length / 2]);
  }
}
