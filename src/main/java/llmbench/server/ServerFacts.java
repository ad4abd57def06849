package llmbench.server;

/**
 * The server a run talks to, as found once per run: its address, model and context length, its
 * family and whether it decodes speculatively.
 */
public record ServerFacts(String baseUrl, Discovery.Result discovered, Family.Kind kind) {
  /** What a run finds out at {@code baseUrl}. */
  public static ServerFacts of(String baseUrl, ServerClient client, Discovery.Result discovered) {
    return new ServerFacts(baseUrl, discovered, Family.detect(client));
  }
}
