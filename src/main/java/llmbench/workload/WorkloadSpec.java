package llmbench.workload;

import llmbench.prompt.Adapters;
import llmbench.prompt.BodyFields;
import llmbench.prompt.ImageMix;

/**
 * What each request carries: lengths (over the profile's), the prompts' source, shared prefixes,
 * chat sessions, the seed, and the image of a vision run. Checked as a whole when made: a mistake is
 * one line that names the option.
 *
 * @param inputLen tokens per prompt instead of the profile's; null for the profile's
 * @param chat null when not asked (completions, or chat for sessions and vision)
 * @param image the noise images of a vision request (how many, which sizes)
 * @param minTokens send {@code min_tokens = max_tokens} where the server family takes it
 * @param trace how a trace dataset is replayed ({@link TraceSpec#NONE} for the defaults)
 * @param extra the fields every request carries beyond the run's own ({@code --extra-body}, sampling)
 * @param adapters the LoRA adapters requests are spread over ({@link Adapters#NONE}: the served model)
 * @param api the Responses API or a pooling endpoint ({@code --endpoint responses|embeddings|rerank}); null for
 *     completions or chat, as {@code chat} says
 * @param batch the inputs of an embeddings request, the documents of a rerank request
 */
public record WorkloadSpec(
    Integer inputLen,
    Integer outputLen,
    Boolean chat,
    Dataset.Spec dataset,
    int prefixLen,
    int numPrefixes,
    int turns,
    int thinkTimeMs,
    long seed,
    ImageMix image,
    boolean minTokens,
    TraceSpec trace,
    BodyFields extra,
    Adapters adapters,
    Endpoint api,
    int batch) {

  public WorkloadSpec {
    positive(inputLen, "--input-len");
    positive(outputLen, "--output-len");
    if (prefixLen < 0) {
      throw new IllegalArgumentException("--prefix-len must be 0 or more, not " + prefixLen);
    }
    if (numPrefixes < 1) {
      throw new IllegalArgumentException("--num-prefixes must be >= 1, not " + numPrefixes);
    }
    if (numPrefixes > 1 && prefixLen == 0) {
      throw new IllegalArgumentException("--num-prefixes needs a shared prefix: give --prefix-len too");
    }
    if (turns < 1) {
      throw new IllegalArgumentException("--turns must be >= 1, not " + turns);
    }
    if (thinkTimeMs < 0) {
      throw new IllegalArgumentException("--think-time-ms must be 0 or more, not " + thinkTimeMs);
    }
    if (turns > 1 && Boolean.FALSE.equals(chat)) {
      throw new IllegalArgumentException("--turns sends conversations to /v1/chat/completions: leave out --endpoint completions");
    }
    if (turns == 1 && thinkTimeMs > 0) {
      throw new IllegalArgumentException("--think-time-ms is the pause between a session's turns: give --turns 2 or more");
    }
    if (!dataset.random() && prefixLen > 0) {
      throw new IllegalArgumentException("--prefix-len shares a prefix among random prompts: leave it out with --dataset "
          + dataset.kind());
    }
    if (dataset.trace() != null && Boolean.TRUE.equals(chat)) {
      throw new IllegalArgumentException("--dataset " + dataset.kind() + " replays the trace's lengths as the server "
          + "counted raw prompts: leave out --endpoint chat");
    }
    if (dataset.trace() != null && outputLen != null) {
      throw new IllegalArgumentException("--output-len: a trace gives every request its own output length; leave it out "
          + "with --dataset " + dataset.kind());
    }
    if (dataset.trace() != null && inputLen != null) {
      throw new IllegalArgumentException("--input-len: a trace gives every request its own input length; leave it out "
          + "with --dataset " + dataset.kind());
    }
    if (batch < 1 || batch > 999) {
      throw new IllegalArgumentException("--batch-size must be within 1..999, not " + batch);
    }
    if (batch > 1 && (api == null || !api.pooling())) {
      throw new IllegalArgumentException("--batch-size is the inputs of an embeddings request or the documents of a "
          + "rerank request: give --endpoint embeddings or rerank");
    }
    if (api != null && (turns > 1 || !dataset.random())) {
      throw new IllegalArgumentException("--endpoint " + api.name().toLowerCase(java.util.Locale.ROOT) + " sends random "
          + "prompts of --input-len tokens: leave out " + (turns > 1 ? "--turns" : "--dataset"));
    }
    if (!dataset.random() && turns > 1) {
      throw new IllegalArgumentException("--turns runs chat sessions in concurrency levels with random prompts: "
          + "leave out --dataset");
    }
  }

  /** The API measured: {@code api}, else chat or completions. */
  public Endpoint endpoint() {
    return api != null ? api : Endpoint.of(chatAsked());
  }

  /** Chat: asked for, or a multi-turn session (a conversation is a chat). */
  public boolean chatAsked() {
    return Boolean.TRUE.equals(chat) || turns > 1;
  }

  /** With a workload file's profile's own settings over these. */
  public WorkloadSpec with(ProfileSettings p) {
    return new WorkloadSpec(inputLen, outputLen, p.chat() != null ? p.chat() : chat,
        p.dataset() != null ? p.dataset() : dataset, p.prefixLen() != null ? p.prefixLen() : prefixLen,
        p.numPrefixes() != null ? p.numPrefixes() : numPrefixes, p.turns() != null ? p.turns() : turns,
        p.thinkTimeMs() != null ? p.thinkTimeMs() : thinkTimeMs, seed, image, minTokens, trace, extra, adapters, api, batch);
  }

  public WorkloadSpec withSeed(long newSeed) {
    return new WorkloadSpec(inputLen, outputLen, chat, dataset, prefixLen, numPrefixes, turns, thinkTimeMs, newSeed,
        image, minTokens, trace, extra, adapters, api, batch);
  }

  /** The profile with these lengths over its own. */
  public Profile apply(Profile profile) {
    return profile.withLengths(inputLen, outputLen);
  }

  private static void positive(Integer v, String option) {
    if (v != null && v < 1) {
      throw new IllegalArgumentException(option + " must be a positive integer, not " + v);
    }
  }
}
