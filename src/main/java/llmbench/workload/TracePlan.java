package llmbench.workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbench.prompt.BlockPrompts;
import llmbench.prompt.RequestBodies;
import llmbench.replay.PrefixReuse;
import llmbench.replay.TraceEntry;
import llmbench.replay.TraceFile;
import llmbench.replay.TraceFormat;

/**
 * A run that replays a trace (FIELD_NOTES §21): one open-model level per speed-up, each request due at
 * its entry's time, with exactly the entry's input and output lengths; entries that name blocks share
 * them ({@link BlockPrompts}), each level with blocks of its own so no level finds another's in the cache.
 */
public final class TracePlan {
  private TracePlan() {}

  /** Reads the trace's window with every check, before anything runs: a bad line is one error line. */
  public static TraceFile.Read check(Dataset.Spec spec, TraceSpec trace) throws IOException {
    TraceFile.Read read = TraceFile.read(spec.trace(), spec.path(), trace.window());
    if (read.entries().isEmpty()) {
      throw new IllegalArgumentException(spec.kind() + ":" + spec.path() + ": no entry to replay in the window ("
          + read.rows() + " rows read, " + read.failed() + " with 0 output tokens, " + read.empty()
          + " with 0 input tokens)");
    }
    return read;
  }

  static RunPlan plan(Planner.Input in, RunPlan empty) {
    WorkloadSpec s = in.workload();
    Dataset.Spec spec = s.dataset();
    TraceFormat format = spec.trace();
    TraceSpec trace = s.trace();
    if (in.profile().vision()) {
      throw new Planner.PlanError("--dataset " + spec.kind() + " replays text prompts; the vision profiles send images");
    }
    TraceFile.Read read;
    try {
      read = check(spec, trace);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new Planner.PlanError(e.getMessage());
    }
    int special = in.tokenizer().specialTokensAdded();
    List<TraceEntry> entries = new ArrayList<>();
    int tooLong = 0;
    for (TraceEntry e : read.entries()) {
      if (e.inputLen() + e.outputLen() > in.maxModelLen() || e.inputLen() <= special) {
        tooLong++;
      } else {
        entries.add(e);
      }
    }
    if (entries.isEmpty()) {
      throw new Planner.PlanError("--dataset " + spec.kind() + ":" + spec.path() + ": every entry of the window needs "
          + "more than the server's max_model_len of " + in.maxModelLen() + " tokens");
    }
    int blockSize = trace.blockSize() != null ? trace.blockSize() : format.defaultBlockSize();
    List<String> notes = new ArrayList<>(empty.notes());
    Map<String, Object> meta = new LinkedHashMap<>(empty.metadata());
    Map<String, Object> keys = new LinkedHashMap<>();
    meta.put("dataset_name", spec.name());
    meta.put("dataset_path", spec.path().toString());
    keys.put("trace_format", format.id());
    keys.put("trace_rows_read", read.rows());
    keys.put("trace_entries", entries.size());
    keys.put("trace_failed_skipped", read.failed());
    keys.put("trace_empty_skipped", read.empty());
    keys.put("trace_too_long_skipped", tooLong);
    keys.put("trace_start_s", trace.window().startS());
    keys.put("trace_end_s", trace.window().endS());
    if (read.failed() > 0) {
      notes.add(read.failed() + " trace rows with 0 output tokens skipped" + (format == TraceFormat.BURSTGPT
          ? " (BurstGPT's failed requests)" : ""));
    }
    if (read.empty() > 0) {
      notes.add(read.empty() + " trace rows with 0 input tokens skipped");
    }
    if (tooLong > 0) {
      notes.add(tooLong + " trace entries skipped: longer than the server's max_model_len of " + in.maxModelLen()
          + " (input and output)");
    }
    boolean blocks = format.hasBlocks() && entries.stream().anyMatch(e -> e.hashIds().length > 0);
    if (blocks) {
      PrefixReuse.Implied reuse = PrefixReuse.of(entries, blockSize);
      keys.put("trace_block_size", blockSize);
      keys.put("trace_prefix_reuse_tokens", reuse.shared());
      keys.put("trace_prefix_reuse_ratio", reuse.ratio());
    }
    double[] arrivals = new double[entries.size()];
    double first = entries.get(0).arrivalS();
    for (int i = 0; i < arrivals.length; i++) {
      arrivals[i] = entries.get(i).arrivalS() - first;
    }
    BlockPrompts prompts = new BlockPrompts(in.tokenizer(), s.seed(), Math.max(blockSize, 1));
    RequestBodies bodies = in.bodies();
    LoadSpec load = in.load();
    int warmups = load.warmupRequests();
    // the warm-up and the preflight have blocks of their own (salts below 0): they prime no level's cache
    LevelPlan warmup = new LevelPlan("warmup", Math.max(1, warmups), entries.get(0).inputLen(), 16, warmups,
        i -> bodies.forRequest(i).completions(prompts.text(new long[0], entries.get(i % entries.size()).inputLen(), i, -2),
            16));
    TraceEntry e0 = entries.get(0);
    RunPlan.Preflight pre = new RunPlan.Preflight("/v1/completions",
        bodies.completions(prompts.text(e0.hashIds(), e0.inputLen(), 0, -1), 2), "the trace's first entry's lengths",
        e0.inputLen(), true, false, false, null, e0.inputLen(), e0.outputLen());
    int meanIn = (int) Math.round(entries.stream().mapToInt(TraceEntry::inputLen).average().orElse(0));
    int meanOut = (int) Math.round(entries.stream().mapToInt(TraceEntry::outputLen).average().orElse(0));
    List<LevelPlan> levels = new ArrayList<>();
    for (int k = 0; k < trace.speedups().size(); k++) {
      long salt = k;
      Replay replay = new Replay(spec.name(), trace.speedups().get(k), arrivals, load.maxConcurrency(), keys);
      levels.add(LevelPlan.open(replay, meanIn, meanOut, entries.size(), s.seed() * 31 + (k + 1) * 1_000_000L, i -> {
        TraceEntry e = entries.get(i);
        return bodies.forRequest(i).completions(prompts.text(e.hashIds(), e.inputLen(), i, salt), e.outputLen());
      }));
    }
    meta.put("seed", s.seed());
    return new RunPlan(in.profile().name(), in.baseUrl(), in.model(), in.tokenizer().source(), Endpoint.COMPLETIONS,
        in.maxModelLen(),
        warmup, levels, notes, meta, null, pre);
  }
}
