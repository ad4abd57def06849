package llmbench.server;

import llmbench.prompt.RequestBodies;
import llmbench.prompt.TextTokenizer;
import llmbench.workload.LoadSpec;
import llmbench.workload.Planner;
import llmbench.workload.Profile;
import llmbench.workload.RunPlan;
import llmbench.workload.WorkloadSpec;

/**
 * What a profile's run asks the server before anything is timed: its chat template's tokens (its
 * /tokenize), one exact request of the plan (2 tokens out) whose count of the prompt is checked, and
 * the emptying of its prefix cache when asked. The server's model and context length come from
 * {@link Discovery}, once per run.
 */
public final class Preflight {
  private Preflight() {}

  /** A preflight answered 5xx or 429 is sent again, at most this many times in all. */
  private static final int PREFLIGHT_TRIES = 3;

  /** A server without a tokenize endpoint for chat: its count of an empty message, the template alone; null if refused. */
  private static Integer emptyMessageTokens(ServerClient client, RequestBodies bodies) {
    try {
      int n = client.stream("/v1/chat/completions", bodies.chat("", java.util.List.of(), 1)).promptTokens();
      return n >= 0 ? n : null;
    } catch (ServerClient.ServerError e) {
      return null;
    }
  }

  /**
   * The profile's plan, checked against the server.
   *
   * @param profile with the run's lengths and levels over its own
   */
  public static RunPlan plan(ServerClient client, ServerFacts facts, WorkloadSpec workload,
      LoadSpec load, Profile profile, TextTokenizer tokenizer, boolean flushCache) {
    return plan(client, facts, workload, load, profile, tokenizer, flushCache, true);
  }

  /**
   * The same; {@code sendPreflight} false for a shard other than shard 0, which alone sends the
   * preflight request (and flushes the cache): the plan is then taken as the tokenizer made it.
   */
  public static RunPlan plan(ServerClient client, ServerFacts facts, WorkloadSpec workload,
      LoadSpec load, Profile profile, TextTokenizer tokenizer, boolean flushCache, boolean sendPreflight) {
    Discovery.Result server = facts.discovered();
    Family family = facts.kind().family();
    String model = server.modelId();
    llmbench.workload.Endpoint api = workload.endpoint();
    // the Responses API's input goes through the chat template as a chat's messages do
    boolean chat = profile.vision() || api == llmbench.workload.Endpoint.CHAT || api == llmbench.workload.Endpoint.RESPONSES;
    Integer template = chat ? client.tokenizeChat(model, "", family) : null;
    boolean counts = template != null;
    boolean minTokens = workload.minTokens() && family.takesMinTokens() && !api.pooling()
        && api != llmbench.workload.Endpoint.RESPONSES;
    boolean chunkUsage = facts.kind().specDecode() && family.streamsChunkUsage();
    if (workload.adapters().any() && sendPreflight) {
      java.util.List<String> served = client.modelIds();
      for (String a : workload.adapters().names()) {
        if (!served.contains(a)) {
          throw new Planner.PlanError("--lora-modules: the server does not list " + a + " in /v1/models (it lists "
              + String.join(", ", served) + "); load it (vLLM: --lora-modules " + a + "=PATH) or leave it out");
        }
      }
    }
    RequestBodies bodies = new RequestBodies(model, minTokens, chunkUsage, workload.extra(), workload.adapters());
    if (chat && !profile.vision() && template == null) {
      template = emptyMessageTokens(client, bodies); // the template's overhead, never the tokenizer's fault
    }
    // llama.cpp tokenizes with its GGUF's own tokenizer, which splits some texts otherwise than the
    // tokenizer.json (Mistral's: 2 or 3 prompts in 64 a token off): its count checks each completion's
    boolean textCounts = api == llmbench.workload.Endpoint.COMPLETIONS && family == Family.LLAMACPP
        && client.tokenizeText("a") != null;
    Planner.ChatCounter counter = counts ? text -> client.tokenizeChat(model, text, family)
        : textCounts ? client::tokenizeText : null;
    RunPlan draft = Planner.plan(new Planner.Input(workload, load, profile, facts.baseUrl(), model,
        server.maxModelLen(), tokenizer, template, counter, bodies));
    if (draft.skipped()) {
      return draft;
    }
    RunPlan.Preflight pre = draft.preflight();
    if (!sendPreflight) {
      RunPlan plan = Planner.checked(draft, -1);
      extra(plan, workload, client);
      plan.metadata().put("server_family", family.label());
      plan.metadata().put("min_tokens_sent", minTokens);
      if (chunkUsage) {
        plan.metadata().put("chunk_usage_requested", true);
      }
      return plan;
    }
    ServerClient.Preflight answer = null;
    for (int attempt = 1; answer == null; attempt++) {
      try {
        answer = client.stream(pre.path(), pre.body());
      } catch (ServerClient.ServerError e) {
        // a server busy or failing now and then (503, 429, a 500) may serve the next one; a 4xx will not
        boolean transientError = e.status >= 500 || e.status == 429;
        if (!transientError || attempt == PREFLIGHT_TRIES) {
          throw new Planner.PlanError((pre.dataset() ? "the server rejected the dataset's first prompt: "
              : "the server rejected the preflight request (" + pre.what() + "): ") + e.getMessage()
              + (attempt > 1 ? " (" + attempt + " tries)" : ""));
        }
        System.out.println("preflight request: " + e.getMessage() + "; trying again (" + (attempt + 1) + " of "
            + PREFLIGHT_TRIES + ")");
      }
    }
    if (answer.chunksWithChoices() == 0) {
      throw new Planner.PlanError("the server's preflight stream had no chunk with choices: is this an "
          + "OpenAI-compatible streaming server?");
    }
    RunPlan plan = Planner.checked(draft, answer.promptTokens());
    extra(plan, workload, client);
    plan.metadata().put("server_family", family.label());
    plan.metadata().put("min_tokens_sent", minTokens);
    if (chunkUsage) {
      plan.metadata().put("chunk_usage_requested", true);
    }
    if (api == llmbench.workload.Endpoint.RESPONSES) {
      plan.notes().add("the Responses API takes no ignore_eos: an answer may end before --output-len at the model's "
          + "end of text (output_lens say how long each was)");
    }
    if (workload.minTokens() && !minTokens) {
      plan.notes().add(family.label() + " does not document min_tokens: an output may end early at a stop id that "
          + "ignore_eos does not lift (the level says how many did)");
    }
    if (!plan.skipped() && flushCache) {
      // after the preflight, before the warm-up: nothing an earlier run sent is cached, and the
      // warm-up primes only this run's prompts
      try {
        plan.metadata().put("prefix_cache_reset", client.resetPrefixCache());
      } catch (ServerClient.ServerError e) {
        throw new Planner.PlanError("--flush-cache: " + e.getMessage());
      }
    }
    return plan;
  }

  /** The fields every request carried beyond the run's own, in each result (as vLLM keeps its sampling). */
  private static void extra(RunPlan plan, WorkloadSpec workload, ServerClient client) {
    if (workload.extra().any()) {
      plan.metadata().put("extra_body", Redactor.json(workload.extra().fields()));
    }
    if (workload.extra().shapesAnswer()) {
      plan.metadata().put("answers_shaped", true);
    }
    if (workload.adapters().any()) {
      plan.metadata().put("lora_modules", workload.adapters().describe());
    }
    if (client.headers().any()) {
      plan.metadata().put("request_headers", client.headers().redacted());
    }
  }
}
