package llmbench.workload;

import java.util.ArrayList;
import java.util.List;
import llmbench.prompt.PromptBuilder;
import llmbench.prompt.RequestBodies;
import llmbench.prompt.TextTokenizer;
import llmbench.server.Discovery;
import llmbench.server.ServerClient;

/**
 * Turns settings and a profile into a {@link RunPlan}: asks the server for its model and context
 * length, builds exact-length prompts, and checks one against the server before anything is timed.
 */
public final class Planner {
  private static final int WARMUP_OUTPUT = 16;

  private Planner() {}

  /** A mistake the user can fix (missing tokenizer, impossible lengths); its message says how. */
  public static final class PlanError extends RuntimeException {
    public PlanError(String message) {
      super(message);
    }
  }

  public static RunPlan plan(BenchSettings s, Profile seedProfile, String baseUrl, TextTokenizer tokenizer) {
    Profile profile = s.apply(seedProfile);
    ServerClient client = new ServerClient(baseUrl, s.apiKey());
    Discovery.Result server = Discovery.discover(client, s.model(), s.maxModelLen());
    String model = server.modelId();
    int maxLen = server.maxModelLen();
    List<String> notes = new ArrayList<>();
    int input = profile.inputFor(maxLen);
    int output = profile.outputLen();
    String tokenizerId = tokenizer.source();
    String reason = profile.doesNotFit(maxLen);
    if (reason != null) {
      return new RunPlan(profile.name(), baseUrl, model, tokenizerId, s.chat(), maxLen, null, List.of(), notes, reason);
    }
    PromptBuilder prompts = new PromptBuilder(tokenizer, s.seed() * 1_000_003L + profile.name().hashCode());
    int chatOverhead = 0;
    if (s.chat()) {
      Integer overhead = client.tokenizeChat(model, "");
      if (overhead == null) {
        notes.add("the server has no /tokenize: chat prompts assume no chat-template tokens; "
            + "the preflight shows the server's real count");
      } else {
        chatOverhead = overhead;
      }
    }
    int chatText = input - chatOverhead;
    java.util.function.IntFunction<byte[]> body = maxTokens -> s.chat()
        ? RequestBodies.chat(model, prompts.buildText(chatText), null, maxTokens)
        : RequestBodies.completions(model, prompts.build(input), maxTokens);

    ServerClient.Preflight pre;
    try {
      pre = client.stream(s.chat() ? "/v1/chat/completions" : "/v1/completions", body.apply(2));
    } catch (ServerClient.ServerError e) {
      throw new PlanError("the server rejected the preflight request (" + input + " tokens in, 2 out): "
          + e.getMessage());
    }
    if (pre.promptTokens() >= 0 && pre.promptTokens() != input) {
      notes.add("the server counts the prompt as " + pre.promptTokens() + " tokens, not " + input
          + ": is fake_model/ the served model's tokenizer?");
    }
    if (pre.promptTokens() < 0) {
      notes.add("the server sent no usage.prompt_tokens in the preflight; input lengths are the requested ones");
    }
    if (pre.chunksWithChoices() == 0) {
      throw new PlanError("the server's preflight stream had no chunk with choices: is this an OpenAI-compatible streaming server?");
    }
    List<byte[]> warm = new ArrayList<>();
    for (int i = 0; i < s.warmupRequests(); i++) {
      warm.add(body.apply(WARMUP_OUTPUT));
    }
    LevelPlan warmup = new LevelPlan("warmup", 1, input, WARMUP_OUTPUT, warm);
    List<LevelPlan> levels = new ArrayList<>();
    for (int c : profile.levels()) {
      List<byte[]> bodies = new ArrayList<>();
      for (int i = 0; i < c * s.rounds(); i++) {
        bodies.add(body.apply(output));
      }
      levels.add(new LevelPlan(LevelPlan.label(c), c, input, output, bodies));
    }
    return new RunPlan(profile.name(), baseUrl, model, tokenizerId, s.chat(), maxLen, warmup, levels, notes, null);
  }
}
