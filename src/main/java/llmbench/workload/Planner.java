package llmbench.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbench.prompt.ImageMix;
import llmbench.prompt.PromptBuilder;
import llmbench.prompt.RequestBodies;
import llmbench.prompt.TextTokenizer;

/**
 * Turns a profile and the run's settings into a {@link RunPlan}: sets up how each level's bodies are
 * built (by {@link LevelPlan#prepare}, before the level starts) and the one request the server
 * answers before anything is timed. Pure: what it needs of the server comes in {@link Input}
 * (the preflight in {@code llmbench.server} asks).
 */
public final class Planner {
  private static final int WARMUP_OUTPUT = 16;

  private Planner() {}

  /** Request body number {@code index} with {@code maxTokens} to generate. */
  private interface BodyFactory {
    byte[] build(long index, int maxTokens);
  }

  /**
   * The server's count of a prompt: a chat conversation with this user text, template included, or a
   * completion's text with the model's special tokens; null when it cannot tell.
   */
  public interface ChatCounter {
    Integer count(String userText);
  }

  /** A mistake the user can fix (missing tokenizer, impossible lengths); its message says how. */
  public static final class PlanError extends RuntimeException {
    public PlanError(String message) {
      super(message);
    }
  }

  /**
   * What a plan is made from.
   *
   * @param profile the profile with the run's lengths and levels over its own
   * @param chatTemplate the server's chat template tokens (its count of an empty message); null when unknown
   * @param counter the server's count of each chat prompt, or of each completions prompt where the server's
   *     tokenizer is not the tokenizer.json's (llama.cpp's GGUF); null when none (then no prompt is checked)
   * @param bodies how this server's requests are shaped (min_tokens, usage on every chunk)
   */
  public record Input(WorkloadSpec workload, LoadSpec load, Profile profile, String baseUrl, String model,
      int maxModelLen, TextTokenizer tokenizer, Integer chatTemplate, ChatCounter counter, RequestBodies bodies) {
    /** Prompts sized as a chat's (the server's template around them): chat, and the Responses API's input. */
    public boolean chat() {
      return endpoint() == Endpoint.CHAT || endpoint() == Endpoint.RESPONSES;
    }

    public Endpoint endpoint() {
      return profile.vision() ? Endpoint.CHAT : workload.endpoint();
    }
  }

  public static RunPlan plan(Input in) {
    WorkloadSpec s = in.workload();
    Profile profile = in.profile();
    boolean chat = in.chat();
    ImageMix image = profile.vision() ? s.image() : null;
    String model = in.model();
    int maxLen = in.maxModelLen();
    List<String> notes = new ArrayList<>();
    Map<String, Object> meta = new LinkedHashMap<>();
    String tokenizerId = in.tokenizer().source();
    RunPlan empty = new RunPlan(profile.name(), in.baseUrl(), model, tokenizerId, in.endpoint(), maxLen, null, List.of(), notes,
        meta, null, null);
    String reason = profile.doesNotFit(maxLen);
    if (reason != null) {
      return empty.skip(reason);
    }
    // a shared prefix comes before the profile's own input, as vLLM's --random-prefix-len does
    int prefixLen = s.prefixLen();
    int input = profile.inputFor(maxLen) + prefixLen;
    int output = in.endpoint().pooling() ? 0 : profile.outputLen(); // a pooling answer generates nothing
    if (prefixLen > 0 && input + output > maxLen) {
      return empty.skip("profile " + profile.name() + " with a " + prefixLen + "-token prefix needs " + (input + output)
          + " tokens of context but the server's max_model_len is " + maxLen);
    }
    if (s.dataset().trace() != null) {
      return TracePlan.plan(in, empty);
    }
    if (!s.dataset().random()) {
      return DatasetPlan.plan(in, empty);
    }
    PromptBuilder prompts = new PromptBuilder(in.tokenizer(), s.seed() * 1_000_003L + profile.name().hashCode());
    // Text benchmarks: the server counts exactly `input` tokens (template included for chat).
    // Vision: the text part itself has `input` tokens, as vLLM's random-mm dataset does.
    int textTokens = input;
    Integer template = chat ? in.chatTemplate() : null;
    if (chat && !profile.vision()) {
      if (template == null) {
        notes.add("the server counts no chat prompt for us (no tokenize endpoint, and it refused an empty "
            + "message): chat prompts assume no chat-template tokens; the preflight shows the server's real count");
      } else {
        textTokens = input - template;
        if (in.counter() == null) {
          notes.add("the server has no tokenize endpoint for chat: prompts are sized by its chat template's " + template
              + " tokens, measured with an empty message; a token or two may merge at the template's edges");
        }
      }
    }
    final int text = textTokens;
    // the shared prefixes, each as the tokenizer encodes it alone; request i starts with prefix i mod K
    long[][] heads = new long[prefixLen > 0 ? s.numPrefixes() : 0][];
    for (int k = 0; k < heads.length; k++) {
      heads[k] = prompts.prefix(prefixLen, k);
    }
    java.util.function.LongFunction<long[]> head = i -> heads.length == 0 ? new long[0] : heads[(int) (i % heads.length)];
    if (prefixLen > 0) {
      meta.put("random_prefix_len", prefixLen);
      meta.put("num_prefixes", heads.length);
    }
    int special = in.tokenizer().specialTokensAdded();
    // body number `index` (unique over the run): its prompt and its image are seeded by it, so
    // bodies can be built in parallel and repeat run after run; one distinct image per request
    long imageSeed = s.seed() * 7_919L + profile.name().hashCode();
    // Chat: the template's edges can merge with the prompt's first and last tokens (SentencePiece
    // models: 98..102 for 100), so each text is checked against the server's own count of the whole
    // conversation (its /tokenize, before the level) and rebuilt to the exact length.
    boolean exactChat = chat && !profile.vision() && template != null && in.counter() != null;
    EdgeMerges merges = new EdgeMerges();
    RequestBodies bodies = in.bodies();
    Endpoint endpoint = in.endpoint();
    int batch = s.batch();
    java.util.function.LongFunction<String> chatText = index -> exactChat
        ? exactText(in.counter(), prompts, head.apply(index), text, input, index, merges)
        : prompts.buildText(head.apply(index), text, index);
    // a completion's text on a server whose tokenizer splits some texts otherwise (llama.cpp's GGUF
    // tokenizer, against the tokenizer.json): each is checked against its count and rebuilt, as a chat's
    boolean exactText = endpoint == Endpoint.COMPLETIONS && in.counter() != null;
    EdgeMerges textMerges = new EdgeMerges();
    java.util.function.LongFunction<String> rawText = index -> exactText
        ? exactText(in.counter(), prompts, head.apply(index), input - special, input, index, textMerges)
        : prompts.buildText(head.apply(index), input - special, index);
    BodyFactory body = (index, maxTokens) -> switch (endpoint) {
      case COMPLETIONS -> bodies.forRequest(index).completions(rawText.apply(index), maxTokens);
      case CHAT -> bodies.forRequest(index).chat(chatText.apply(index),
          image == null ? List.of() : image.dataUrls(imageSeed + index), maxTokens);
      case RESPONSES -> bodies.forRequest(index).responses(chatText.apply(index), maxTokens);
      // a batch's texts are numbered apart from every other request's
      case EMBEDDINGS -> bodies.forRequest(index).embeddings(java.util.stream.LongStream.range(0, batch)
          .mapToObj(j -> rawText.apply(index * 1_000 + j)).toList());
      case RERANK -> bodies.forRequest(index).rerank(rawText.apply(index * 1_000 + 999),
          java.util.stream.LongStream.range(0, batch).mapToObj(j -> rawText.apply(index * 1_000 + j)).toList());
    };
    RunPlan.Preflight pre = new RunPlan.Preflight(endpoint.path(), body.build(0, 2),
        endpoint == Endpoint.EMBEDDINGS ? batch + " inputs of " + input + " tokens"
            : endpoint == Endpoint.RERANK ? "a query and " + batch + " documents of " + input + " tokens"
            : input + (profile.vision() ? " text tokens and " + imagesInWords(image) : " tokens") + " in, 2 out",
        // a rerank's count holds the query and the template around each document: not checked
        endpoint == Endpoint.EMBEDDINGS ? input * batch : endpoint == Endpoint.RERANK ? -1 : input, false,
        profile.vision(), exactChat, template, text, output);
    if (profile.vision()) {
      if (image.single()) { // the seed's keys
        meta.put("image_width", image.first().width());
        meta.put("image_height", image.first().height());
      } else {
        meta.put("image_sizes", image.sizeLabels());
        meta.put("images_per_request", image.minImages() == image.maxImages() ? Integer.toString(image.minImages())
            : image.minImages() + "-" + image.maxImages());
      }
      meta.put("image_format", image.first().format().name().toLowerCase());
      meta.put("text_tokens", text);
      if (template != null) {
        meta.put("chat_template_tokens", template);
      }
    } else if (chat) {
      meta.put("chat_template_tokens", template);
      meta.put("chat_prompts_checked_by_server", exactChat);
    }
    if (exactText) {
      meta.put("prompts_checked_by_server", true);
    }
    // the warm-up requests go together: they prime the server, they are not measured
    LevelPlan warmup = new LevelPlan("warmup", Math.max(1, in.load().warmupRequests()), input, WARMUP_OUTPUT,
        in.load().warmupRequests(), i -> body.build(1 + i, WARMUP_OUTPUT));
    List<LevelPlan> levels = levels(in, new LevelSource() {
      @Override
      public int[] lengths(int k, int n) {
        return new int[] {input, output};
      }

      @Override
      public java.util.function.IntFunction<byte[]> bodies(int k, int n) {
        long base = (k + 1) * 1_000_000L; // prompt numbers unique over the run
        if (s.turns() > 1) { // each turn's new user message: the text alone
          return i -> prompts.buildText(head.apply(base + i), text, base + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return i -> body.build(base + i, output);
      }

      @Override
      public java.util.function.BiFunction<com.fasterxml.jackson.databind.node.ArrayNode, String, byte[]> session() {
        return (history, user) -> bodies.session(history, user, output);
      }
    });
    if (s.turns() > 1) {
      meta.put("turns", s.turns());
      meta.put("think_time_ms", s.thinkTimeMs());
    }
    if (endpoint.pooling()) {
      meta.put("batch_size", batch);
    }
    meta.put("seed", s.seed());
    return new RunPlan(profile.name(), in.baseUrl(), model, tokenizerId, endpoint, maxLen, warmup, levels, notes, meta,
        null, pre);
  }

  private static String imagesInWords(ImageMix image) {
    return image.single() ? "one " + image.first().label() + " image"
        : image.minImages() + (image.maxImages() == image.minImages() ? "" : " to " + image.maxImages()) + " images of "
            + String.join(" or ", image.sizeLabels());
  }

  /**
   * The plan with what the server's answer to its preflight told: its count of the prompt (-1 when
   * it sent no usage), as notes, facts, or a skip when a vision prompt with its image does not fit.
   */
  public static RunPlan checked(RunPlan plan, int promptTokens) {
    RunPlan.Preflight pre = plan.preflight();
    List<String> notes = new ArrayList<>(plan.notes());
    Map<String, Object> meta = new LinkedHashMap<>(plan.metadata());
    if (pre.dataset()) {
      if (!plan.chat() && promptTokens >= 0 && promptTokens != pre.expectedPromptTokens()) {
        notes.add("the server counts the first prompt as " + promptTokens + " tokens, " + plan.tokenizerId()
            + " as " + pre.expectedPromptTokens() + ": is it the served model's tokenizer? (lengths in the results are the server's)");
      }
    } else if (pre.vision()) {
      if (promptTokens >= 0) {
        meta.put("server_prompt_tokens_per_request", promptTokens);
        if (pre.template() != null && !meta.containsKey("image_sizes")) { // a mix's vary: image_tokens_* per level
          meta.put("image_tokens_per_request", promptTokens - pre.textTokens() - pre.template());
        }
        if (promptTokens + pre.outputLen() > plan.maxModelLen()) {
          return new RunPlan(plan.profile(), plan.baseUrl(), plan.modelId(), plan.tokenizerId(), plan.endpoint(),
              plan.maxModelLen(), null, List.of(), notes, meta, "profile " + plan.profile() + " needs "
              + (promptTokens + pre.outputLen()) + " tokens of context (" + promptTokens + " in with the image, "
              + pre.outputLen() + " out) but the server's max_model_len is " + plan.maxModelLen(), null);
        }
      }
    } else if (promptTokens >= 0 && pre.expectedPromptTokens() >= 0 && promptTokens != pre.expectedPromptTokens()) {
      int input = pre.expectedPromptTokens();
      // a chat prompt a few tokens off is the template's edges (no /tokenize to correct it), not the tokenizer
      notes.add(plan.chat() && !pre.exactChat() && Math.abs(promptTokens - input) <= 3
          ? "the server counts the chat prompt as " + promptTokens + " tokens, not " + input + ": its chat "
              + "template merges with the prompt's edges, and it has no /tokenize to correct each prompt by"
          : "the server counts the prompt as " + promptTokens + " tokens, not " + input
              + ": is " + plan.tokenizerId() + " the served model's tokenizer?");
    }
    if (promptTokens < 0 && !pre.dataset()) {
      notes.add("the server sent no usage.prompt_tokens in the preflight; input lengths are the requested ones");
    }
    return new RunPlan(plan.profile(), plan.baseUrl(), plan.modelId(), plan.tokenizerId(), plan.endpoint(),
        plan.maxModelLen(), plan.warmup(), plan.levels(), notes, meta, null, pre);
  }

  /**
   * A prompt's text that the server counts (a chat's with its template) as exactly {@code input} tokens:
   * each try a new random text (the edges merge differently with each: with Mistral's tokenizer a
   * 100-token prompt came out 98..102, 42 % exact), sized for the most common merge seen so far in
   * the run; at most 30 tries (the preflight and the results show the server's count either way).
   */
  private static String exactText(ChatCounter counter, PromptBuilder prompts, long[] head, int text,
      int input, long index, EdgeMerges merges) {
    String t = null;
    for (int tries = 0; tries < 30; tries++) {
      int target = Math.max(head.length + 1, text - merges.mostCommon());
      t = prompts.buildText(head, target, index + tries * 1_000_000_000_000L);
      Integer n = counter.count(t);
      if (n == null) {
        return t;
      }
      merges.add(n - (input - text) - target);
      if (n == input) {
        return t;
      }
    }
    return t;
  }

  /** How many tokens the template's edges added to (or took from) each checked prompt, -8..+8. */
  static final class EdgeMerges {
    private final java.util.concurrent.atomic.AtomicIntegerArray counts = new java.util.concurrent.atomic.AtomicIntegerArray(17);

    void add(int delta) {
      counts.incrementAndGet(Math.max(0, Math.min(16, delta + 8)));
    }

    int mostCommon() {
      int best = 8;
      for (int i = 0; i < 17; i++) {
        if (counts.get(i) > counts.get(best)) {
          best = i;
        }
      }
      return best - 8;
    }
  }

  /** Level number {@code k} (in order) of {@code n} requests: its lengths (shown, requested) and bodies. */
  interface LevelSource {
    int[] lengths(int k, int n);

    java.util.function.IntFunction<byte[]> bodies(int k, int n);

    /** Chat sessions: a turn's request from the history and the new message (bodies hold the messages). */
    default java.util.function.BiFunction<com.fasterxml.jackson.databind.node.ArrayNode, String, byte[]> session() {
      return null;
    }
  }

  /** The run's levels: concurrency levels of the profile, or request rates when given. */
  static List<LevelPlan> levels(Input in, LevelSource src) {
    LoadSpec s = in.load();
    WorkloadSpec w = in.workload();
    List<LevelPlan> levels = new ArrayList<>();
    int k = 0;
    if (s.ramp() != null) {
      int[] len = src.lengths(0, s.numPrompts());
      levels.add(LevelPlan.open(s.ramp(), len[0], len[1], s.numPrompts(), w.seed() * 31 + 1_000_000L,
          src.bodies(0, s.numPrompts())));
    } else if (s.open()) {
      for (double rate : s.requestRates()) {
        int[] len = src.lengths(k, s.numPrompts());
        levels.add(LevelPlan.open(new Arrivals(rate, s.burstiness(), s.maxConcurrency()), len[0], len[1],
            s.numPrompts(), w.seed() * 31 + (k + 1) * 1_000_000L, src.bodies(k, s.numPrompts())));
        k++;
      }
    } else {
      for (int c : in.profile().levels()) {
        int n = c * s.rounds() * w.turns(); // with sessions, each turn's new message
        int[] len = src.lengths(k, n);
        LevelPlan l = new LevelPlan(LevelPlan.label(c), c, len[0], len[1], n, src.bodies(k, n));
        levels.add(w.turns() > 1 ? l.sessions(w.turns(), w.thinkTimeMs(), src.session()) : l);
        k++;
      }
    }
    return levels;
  }
}
