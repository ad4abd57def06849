package llmbench.gatling.llm;

import java.net.URI;

/**
 * How the LLM action talks to one server: its address (scheme, host, port), the bearer key, whether
 * each user keeps its connection, and the limits of each wait, each reported by its own name when it
 * runs out (the whole request's is {@code --timeout}).
 *
 * @param apiKey sent as a bearer token; null for none (never to the client warm-up's servers)
 * @param cancel the streams closed early on purpose ({@link llmbench.cancel.Cancellation#NONE}: none)
 */
public record LlmSettings(URI server, String apiKey, boolean keepAlive, int connectTimeoutMs, long headersTimeoutMs,
    long chunkTimeoutMs, long requestTimeoutMs, llmbench.tls.Tls tls, llmbench.server.ExtraHeaders headers,
    llmbench.cancel.Cancellation cancel) {

  /** Every wait bounded by the request's timeout; connecting by at most 10 s of it. */
  public static LlmSettings of(String baseUrl, String apiKey, boolean keepAlive, long requestTimeoutMs) {
    return new LlmSettings(URI.create(baseUrl), apiKey, keepAlive, (int) Math.min(10_000, requestTimeoutMs),
        requestTimeoutMs, requestTimeoutMs, requestTimeoutMs, llmbench.tls.Tls.VERIFY,
        llmbench.server.ExtraHeaders.NONE, llmbench.cancel.Cancellation.NONE);
  }

  public LlmSettings withTimeouts(long headersMs, long chunkMs) {
    return new LlmSettings(server, apiKey, keepAlive, connectTimeoutMs, Math.min(headersMs, requestTimeoutMs),
        Math.min(chunkMs, requestTimeoutMs), requestTimeoutMs, tls, headers, cancel);
  }

  String host() {
    return server.getHost();
  }

  int port() {
    return server.getPort() > 0 ? server.getPort() : "https".equals(server.getScheme()) ? 443 : 80;
  }

  /** The Host header: the port only when it is not the scheme's own. */
  String hostHeader() {
    return server.getPort() > 0 ? server.getHost() + ":" + server.getPort() : server.getHost();
  }
}
