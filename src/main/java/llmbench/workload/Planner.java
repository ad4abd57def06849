package llmbench.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbench.prompt.NoiseImages;
import llmbench.prompt.PromptBuilder;
import llmbench.prompt.RequestBodies;
import llmbench.prompt.TextTokenizer;
import llmbench.server.Discovery;
import llmbench.server.ServerClient;

/**
 * Turns settings and a profile into a {@link RunPlan}: asks the server for its model and context
 * length, checks one exact-length request against the server before anything is timed, and sets up
 * how each level's bodies are built (by {@link LevelPlan#prepare}, before the level starts).
 */
public final class Planner {
  private static final int WARMUP_OUTPUT = 16;

  private Planner() {}

  /** Request body number {@code index} with {@code maxTokens} to generate. */
  private interface BodyFactory {
    byte[] build(long index, int maxTokens);
  }

  /** A mistake the user can fix (missing tokenizer, impossible lengths); its message says how. */
  public static final class PlanError extends RuntimeException {
    public PlanError(String message) {
      super(message);
    }
  }

  public static RunPlan plan(BenchSettings s, Profile seedProfile, String baseUrl, TextTokenizer tokenizer) {
    Profile profile = s.apply(seedProfile);
    boolean chat = s.chat() || profile.vision();
    NoiseImages.Spec image = profile.vision() ? s.image() : null;
    ServerClient client = new ServerClient(baseUrl, s.apiKey());
    Discovery.Result server = Discovery.discover(client, s.model(), s.maxModelLen());
    String model = server.modelId();
    int maxLen = server.maxModelLen();
    List<String> notes = new ArrayList<>();
    Map<String, Object> meta = new LinkedHashMap<>();
    String tokenizerId = tokenizer.source();
    String reason = profile.doesNotFit(maxLen);
    if (reason != null) {
      return new RunPlan(profile.name(), baseUrl, model, tokenizerId, chat, maxLen, null, List.of(), notes, meta, reason);
    }
    // a shared prefix comes before the profile's own input, as vLLM's --random-prefix-len does
    int prefixLen = s.prefixLen();
    int input = profile.inputFor(maxLen) + prefixLen;
    int output = profile.outputLen();
    if (prefixLen > 0 && input + output > maxLen) {
      return new RunPlan(profile.name(), baseUrl, model, tokenizerId, chat, maxLen, null, List.of(), notes, meta,
          "profile " + profile.name() + " with a " + prefixLen + "-token prefix needs " + (input + output)
              + " tokens of context but the server's max_model_len is " + maxLen);
    }
    PromptBuilder prompts = new PromptBuilder(tokenizer, s.seed() * 1_000_003L + profile.name().hashCode());
    // Text benchmarks: the server counts exactly `input` tokens (template included for chat).
    // Vision: the text part itself has `input` tokens, as vLLM's random-mm dataset does.
    int textTokens = input;
    Integer template = chat ? client.tokenizeChat(model, "") : null;
    if (chat && !profile.vision()) {
      if (template == null) {
        notes.add("the server has no /tokenize: chat prompts assume no chat-template tokens; "
            + "the preflight shows the server's real count");
      } else {
        textTokens = input - template;
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
    int special = tokenizer.specialTokensAdded();
    // body number `index` (unique over the run): its prompt and its image are seeded by it, so
    // bodies can be built in parallel and repeat run after run; one distinct image per request
    long imageSeed = s.seed() * 7_919L + profile.name().hashCode();
    if (!s.dataset().random()) {
      return DatasetPlan.plan(s, profile, baseUrl, model, tokenizer, chat, maxLen, client, notes, meta);
    }
    // Chat: the template's edges can merge with the prompt's first and last tokens (SentencePiece
    // models: 98..102 for 100), so each text is checked against the server's own count of the whole
    // conversation (its /tokenize, before the level) and rebuilt to the exact length.
    boolean exactChat = chat && !profile.vision() && template != null;
    EdgeMerges merges = new EdgeMerges();
    BodyFactory body = (index, maxTokens) -> !chat
        ? RequestBodies.completions(model, prompts.buildText(head.apply(index), input - special, index), maxTokens)
        : RequestBodies.chat(model, exactChat ? exactChatText(client, model, prompts, head.apply(index), text, input, index, merges)
            : prompts.buildText(head.apply(index), text, index),
            image == null ? null : NoiseImages.dataUrl(image, imageSeed + index), maxTokens);

    ServerClient.Preflight pre;
    try {
      pre = client.stream(chat ? "/v1/chat/completions" : "/v1/completions", body.build(0, 2));
    } catch (ServerClient.ServerError e) {
      throw new PlanError("the server rejected the preflight request (" + input + (profile.vision()
          ? " text tokens and one " + image.label() + " image" : " tokens") + " in, 2 out): " + e.getMessage());
    }
    if (pre.chunksWithChoices() == 0) {
      throw new PlanError("the server's preflight stream had no chunk with choices: is this an OpenAI-compatible streaming server?");
    }
    if (profile.vision()) {
      meta.put("image_width", image.width());
      meta.put("image_height", image.height());
      meta.put("image_format", image.format().name().toLowerCase());
      meta.put("text_tokens", text);
      if (template != null) {
        meta.put("chat_template_tokens", template);
      }
      if (pre.promptTokens() >= 0) {
        meta.put("server_prompt_tokens_per_request", pre.promptTokens());
        if (template != null) {
          meta.put("image_tokens_per_request", pre.promptTokens() - text - template);
        }
        if (pre.promptTokens() + output > maxLen) {
          String why = "profile " + profile.name() + " needs " + (pre.promptTokens() + output)
              + " tokens of context (" + pre.promptTokens() + " in with the image, " + output
              + " out) but the server's max_model_len is " + maxLen;
          return new RunPlan(profile.name(), baseUrl, model, tokenizerId, chat, maxLen, null, List.of(), notes, meta, why);
        }
      }
    } else if (pre.promptTokens() >= 0 && pre.promptTokens() != input) {
      // a chat prompt a few tokens off is the template's edges (no /tokenize to correct it), not the tokenizer
      notes.add(chat && !exactChat && Math.abs(pre.promptTokens() - input) <= 3
          ? "the server counts the chat prompt as " + pre.promptTokens() + " tokens, not " + input + ": its chat "
              + "template merges with the prompt's edges, and it has no /tokenize to correct each prompt by"
          : "the server counts the prompt as " + pre.promptTokens() + " tokens, not " + input
              + ": is " + tokenizerId + " the served model's tokenizer?");
    }
    if (chat && !profile.vision()) {
      meta.put("chat_template_tokens", template);
      meta.put("chat_prompts_checked_by_server", exactChat);
    }
    flushIfAsked(s, client, meta);
    if (pre.promptTokens() < 0) {
      notes.add("the server sent no usage.prompt_tokens in the preflight; input lengths are the requested ones");
    }
    // the warm-up requests go together: they prime the server, they are not measured
    LevelPlan warmup = new LevelPlan("warmup", Math.max(1, s.warmupRequests()), input, WARMUP_OUTPUT,
        s.warmupRequests(),
        i -> body.build(1 + i, WARMUP_OUTPUT));
    List<LevelPlan> levels = levels(s, profile, new LevelSource() {
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
        return (history, user) -> RequestBodies.session(model, history, user, output);
      }
    });
    if (s.turns() > 1) {
      meta.put("turns", s.turns());
      meta.put("think_time_ms", s.thinkTimeMs());
    }
    meta.put("seed", s.seed());
    return new RunPlan(profile.name(), baseUrl, model, tokenizerId, chat, maxLen, warmup, levels, notes, meta, null);
  }

  /**
   * A chat prompt's text that the server counts, with its template, as exactly {@code input} tokens:
   * each try a new random text (the edges merge differently with each: with Mistral's tokenizer a
   * 100-token prompt came out 98..102, 42 % exact), sized for the most common merge seen so far in
   * the run; at most 30 tries (the preflight and the results show the server's count either way).
   */
  private static String exactChatText(ServerClient client, String model, PromptBuilder prompts, long[] head, int text,
      int input, long index, EdgeMerges merges) {
    String t = null;
    for (int tries = 0; tries < 30; tries++) {
      int target = Math.max(head.length + 1, text - merges.mostCommon());
      t = prompts.buildText(head, target, index + tries * 1_000_000_000_000L);
      Integer n = client.tokenizeChat(model, t);
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
  static List<LevelPlan> levels(BenchSettings s, Profile profile, LevelSource src) {
    List<LevelPlan> levels = new ArrayList<>();
    int k = 0;
    if (s.open()) {
      for (double rate : s.requestRates()) {
        int[] len = src.lengths(k, s.numPrompts());
        levels.add(LevelPlan.open(new Arrivals(rate, s.burstiness(), s.maxConcurrency()), len[0], len[1],
            s.numPrompts(), s.seed() * 31 + (k + 1) * 1_000_000L, src.bodies(k, s.numPrompts())));
        k++;
      }
    } else {
      for (int c : profile.levels()) {
        int n = c * s.rounds() * s.turns(); // with sessions, each turn's new message
        int[] len = src.lengths(k, n);
        LevelPlan l = new LevelPlan(LevelPlan.label(c), c, len[0], len[1], n, src.bodies(k, n));
        levels.add(s.turns() > 1 ? l.sessions(s.turns(), s.thinkTimeMs(), src.session()) : l);
        k++;
      }
    }
    return levels;
  }

  /** After the preflight, before the warm-up: nothing an earlier run sent is cached, and the warm-up primes only this run's prompts. */
  static void flushIfAsked(BenchSettings s, ServerClient client, Map<String, Object> meta) {
    if (s.flushCache()) {
      try {
        meta.put("prefix_cache_reset", client.resetPrefixCache());
      } catch (ServerClient.ServerError e) {
        throw new PlanError("--flush-cache: " + e.getMessage());
      }
    }
  }
}
