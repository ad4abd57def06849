package llmbench.config;

import java.nio.file.Path;
import llmbench.server.ExtraHeaders;
import llmbench.tls.Tls;

/**
 * The server under test and how to talk to it.
 *
 * @param baseUrl without a trailing slash or {@code /v1}
 * @param apiKey from {@code OPENAI_API_KEY}; sent to the server only, never written anywhere
 * @param model the model to ask for; null for the first of {@code /v1/models}
 * @param maxModelLen the context length when the server does not tell it; null to ask the server
 * @param tokenizerDir the folder the user named; null for {@code fake_model/}
 * @param mock start the built-in mock server for this run instead
 * @param flushCache empty the server's prefix cache before each profile
 * @param tls how an https server's certificate is trusted ({@code --ca-cert}, {@code --insecure})
 * @param headers sent with every request ({@code --header})
 */
public record ServerConfig(String baseUrl, String apiKey, String model, Integer maxModelLen, Path tokenizerDir,
    boolean mock, boolean flushCache, Tls tls, ExtraHeaders headers) {

  public ServerConfig {
    if ((tls.caCert() != null || tls.insecure()) && (mock || !baseUrl.regionMatches(true, 0, "https:", 0, 6))) {
      throw new IllegalArgumentException((tls.insecure() ? "--insecure" : "--ca-cert") + " applies to an https:// "
          + "server, not " + (mock ? "the built-in mock" : baseUrl));
    }
    if (headers.authorization() && apiKey != null && !apiKey.isEmpty()) {
      throw new IllegalArgumentException("--header Authorization and OPENAI_API_KEY both set the Authorization header: "
          + "give one");
    }
  }

  public ServerConfig withBaseUrl(String url) {
    return new ServerConfig(url, apiKey, model, maxModelLen, tokenizerDir, false, flushCache, tls, headers);
  }

  @Override
  public String toString() { // the key stays out of every log line
    return "ServerConfig[" + baseUrl + ", model " + model + (apiKey == null ? "" : ", API key set") + "]";
  }
}
