package llmbench.server;

/**
 * The server a run talks to, as found once per run: its address, model and context length, its
 * family, whether it decodes speculatively, and whether it is this project's mock (which brings its own
 * tokenizer). Shard 0 finds them and tells the other shards (a JSON value), so that the server is
 * asked once.
 */
public record ServerFacts(String baseUrl, Discovery.Result discovered, Family.Kind kind, boolean builtinMock) {
  /** What a run finds out at {@code baseUrl}. */
  public static ServerFacts of(String baseUrl, ServerClient client, Discovery.Result discovered) {
    return new ServerFacts(baseUrl, discovered, Family.detect(client), client.isBuiltinMock());
  }
}
