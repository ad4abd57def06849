package llmbench.workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import llmbench.prompt.ImageFiles;
import llmbench.prompt.RequestBodies;

/**
 * A run whose prompts come from a file ({@link Dataset}): the profile gives the levels (and the
 * output length of JSONL lines without one), the file the prompts; every request takes the next
 * sampled entry, the warm-up the first ones, so a run sends each entry once when it has enough.
 */
final class DatasetPlan {
  private DatasetPlan() {}

  static RunPlan plan(Planner.Input in, RunPlan empty) {
    Profile profile = in.profile();
    WorkloadSpec s = in.workload();
    LoadSpec load = in.load();
    boolean chat = in.chat();
    String model = in.model();
    if (profile.vision()) {
      throw new Planner.PlanError("--dataset is for the text profiles; the vision profiles send noise images");
    }
    int warmups = load.warmupRequests();
    int measured = load.open() ? load.numPrompts() * load.openLevels()
        : profile.levels().stream().mapToInt(c -> c * load.rounds()).sum();
    Dataset.Sample sample;
    try {
      sample = Dataset.sample(s.dataset(), in.tokenizer(), warmups + measured, s.seed(), s.outputLen(),
          profile.outputLen(), in.maxModelLen());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new Planner.PlanError(e.getMessage());
    }
    List<Dataset.Entry> entries = sample.entries();
    if (!chat && entries.stream().anyMatch(e -> e.messages() != null)) {
      throw new Planner.PlanError(s.dataset().path() + " holds chat conversations (\"messages\"): add --endpoint chat");
    }
    if (!chat && entries.stream().anyMatch(e -> !e.images().isEmpty())) {
      throw new Planner.PlanError(s.dataset().path() + " sends images with its prompts (\"image_files\"): add --endpoint chat");
    }
    List<String> notes = new ArrayList<>(empty.notes());
    Map<String, Object> meta = new LinkedHashMap<>(empty.metadata());
    meta.put("dataset_name", s.dataset().name());
    meta.put("dataset_path", s.dataset().path().toString());
    meta.put("dataset_entries_read", sample.read());
    meta.put("dataset_entries_filtered", sample.filtered());
    if (sample.filtered() > 0) {
      notes.add(sample.filtered() + " of " + sample.read() + " dataset entries left out (" + sample.filterReason() + ")");
    }
    if (entries.size() < warmups + measured) {
      notes.add("the dataset gave " + entries.size() + " usable prompts for " + (warmups + measured)
          + " requests: prompts repeat, and the server's prefix cache will find the repeats");
    }
    RequestBodies bodies = in.bodies();
    IntFunction<byte[]> at = pos -> body(entries.get(pos % entries.size()), bodies.forRequest(pos), chat, null);
    Dataset.Entry first = entries.get(0);
    RunPlan.Preflight pre = new RunPlan.Preflight(chat ? "/v1/chat/completions" : "/v1/completions",
        body(first, bodies, chat, 2), "the dataset's first prompt", first.promptTokens(), true, false, false, null,
        first.promptTokens(), first.outputTokens());
    LevelPlan warmup = new LevelPlan("warmup", Math.max(1, warmups), (int) mean(entries, 0, warmups, true), 16, warmups,
        i -> at.apply(i));
    int[] next = {warmups};
    List<LevelPlan> levels = Planner.levels(in, new Planner.LevelSource() {
      @Override
      public int[] lengths(int k, int n) {
        return new int[] {(int) Math.round(mean(entries, next[0], n, true)), (int) Math.round(mean(entries, next[0], n, false))};
      }

      @Override
      public IntFunction<byte[]> bodies(int k, int n) {
        int from = next[0];
        next[0] += n;
        return i -> at.apply(from + i);
      }
    });
    meta.put("seed", s.seed());
    return new RunPlan(profile.name(), in.baseUrl(), model, in.tokenizer().source(), Endpoint.of(chat), in.maxModelLen(),
        warmup,
        levels, notes, meta, null, pre);
  }

  /** The entry's request; {@code maxTokens} null for the entry's own output length. */
  private static byte[] body(Dataset.Entry e, RequestBodies bodies, boolean chat, Integer maxTokens) {
    int out = maxTokens != null ? maxTokens : e.outputTokens();
    return e.messages() != null ? bodies.chatMessages(e.messages(), out)
        : chat ? bodies.chat(e.prompt(), e.images().stream().map(ImageFiles::dataUrl).toList(), out)
        : bodies.completions(e.prompt(), out);
  }

  /** The mean prompt (or output) tokens of positions from..from+n. */
  private static double mean(List<Dataset.Entry> entries, int from, int n, boolean prompt) {
    if (n == 0) {
      return 0;
    }
    double sum = 0;
    for (int i = from; i < from + n; i++) {
      Dataset.Entry e = entries.get(i % entries.size());
      sum += prompt ? e.promptTokens() : e.outputTokens();
    }
    return sum / n;
  }
}
