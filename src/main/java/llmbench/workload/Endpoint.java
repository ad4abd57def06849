package llmbench.workload;

import java.util.Locale;

/**
 * The API a run measures ({@code --endpoint}): vLLM's benchmark client's completions and chat, OpenAI's
 * Responses API (streamed typed events), and the pooling endpoints, embeddings and rerank, whose answer
 * is one JSON body: for those only the end-to-end latency means anything, as in vLLM's own benchmark of
 * them.
 *
 * @param type vLLM's {@code endpoint_type} (its backend's name) in each result
 */
public enum Endpoint {
  COMPLETIONS("/v1/completions", "vllm"),
  CHAT("/v1/chat/completions", "openai-chat"),
  RESPONSES("/v1/responses", "openai-responses"),
  EMBEDDINGS("/v1/embeddings", "openai-embeddings"),
  RERANK("/v1/rerank", "vllm-rerank");

  private final String path;
  private final String type;

  Endpoint(String path, String type) {
    this.path = path;
    this.type = type;
  }

  public String path() {
    return path;
  }

  public String type() {
    return type;
  }

  /** Answered with one JSON body, no tokens streamed: only the end-to-end latency is measured. */
  public boolean pooling() {
    return this == EMBEDDINGS || this == RERANK;
  }

  /** The chat and completions endpoints of the seed's scripts. */
  public static Endpoint of(boolean chat) {
    return chat ? CHAT : COMPLETIONS;
  }

  /** {@code --endpoint}'s value; one line naming the option for another. */
  public static Endpoint parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--endpoint must be completions, chat, responses, embeddings or rerank, not '"
          + s + "'");
    }
  }

  /** Whether a result's {@code endpoint_type} is a pooling endpoint's. */
  public static boolean pooling(String endpointType) {
    return EMBEDDINGS.type.equals(endpointType) || RERANK.type.equals(endpointType);
  }
}
