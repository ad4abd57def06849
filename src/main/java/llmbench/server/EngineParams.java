package llmbench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * {@code engine_params.txt}: how the server was launched and what it says about itself, and the
 * client side. Every section names its source; what could not be found says so. Secrets are redacted.
 */
public final class EngineParams {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private EngineParams() {}

  /** @param requestFields what every request carries beyond the run's own fields ({@code --extra-body}); null for none */
  public static String render(String baseUrl, ServerClient client, Discovery.Result discovery,
      LaunchCommand launch, String toolVersion, String gatlingVersion, JsonNode requestFields) {
    StringBuilder sb = new StringBuilder();
    sb.append("# engine_params.txt: written by gatling-llm-bench ").append(toolVersion).append(" at ")
        .append(ZonedDateTime.now()).append('\n');
    sb.append("# server: ").append(baseUrl).append(" (API key, tokens and passwords are redacted)\n\n");

    sb.append("## Launch command\n");
    int port = port(baseUrl);
    boolean local = isLocal(baseUrl);
    if (!local) {
      sb.append("not available: the server is not on this host (").append(URI.create(baseUrl).getHost()).append(")\n");
    } else {
      try {
        Optional<LaunchCommand.Found> found = launch.find(port);
        if (found.isPresent()) {
          sb.append("source: /proc, ").append(found.get().how()).append('\n');
          sb.append(String.join(" ", found.get().args())).append('\n');
        } else {
          sb.append("not available: no process of this host (visible to this user) listens on port ").append(port).append('\n');
        }
      } catch (IOException | RuntimeException e) {
        sb.append("not available: ").append(e.getMessage()).append('\n');
      }
    }

    sb.append("\n## Model and context length\n");
    if (discovery != null) {
      sb.append("model: ").append(discovery.modelId()).append('\n');
      sb.append("max_model_len: ").append(discovery.maxModelLen()).append(" (source: ")
          .append(discovery.maxModelLenSource()).append(")\n");
    } else {
      sb.append("not available: discovery failed\n");
    }
    section(sb, client, "/version", "vLLM version");
    section(sb, client, "/v1/models", "served models");
    metricsSection(sb, client);
    section(sb, client, "/server_info", "SGLang server arguments");
    section(sb, client, "/props", "llama.cpp properties");
    section(sb, client, "/info", "TGI info");

    sb.append("\n## Client\n");
    sb.append("tool: gatling-llm-bench ").append(toolVersion).append('\n');
    sb.append("gatling: ").append(gatlingVersion).append('\n');
    sb.append("jvm: ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append('\n');
    sb.append("os: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
        .append(' ').append(System.getProperty("os.arch")).append('\n');
    sb.append("host: ").append(hostName()).append(", ").append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs\n");
    if (client.headers().any()) {
      sb.append("request headers beyond the run's own (--header): ").append(client.headers().redacted()).append('\n');
    }
    if (requestFields != null && !requestFields.isEmpty()) {
      sb.append("request fields beyond the run's own (--extra-body, --temperature, --top-p, --top-k): ")
          .append(Redactor.json(requestFields)).append('\n');
    }
    return sb.toString();
  }

  private static void section(StringBuilder sb, ServerClient client, String path, String what) {
    sb.append("\n## ").append(what).append(" (GET ").append(path).append(")\n");
    ServerClient.Answer a = client.getText(path);
    if (a.status() != 200) {
      sb.append("not available (").append(a.status() == 0 ? "no answer" : "HTTP " + a.status()).append(")\n");
      return;
    }
    try {
      JsonNode n = JSON.readTree(a.body());
      sb.append(JSON.writeValueAsString(Redactor.json(n))).append('\n');
    } catch (IOException e) {
      sb.append("not available (not JSON)\n");
    }
  }

  private static void metricsSection(StringBuilder sb, ServerClient client) {
    sb.append("\n## vLLM cache configuration (GET /metrics, vllm:cache_config_info)\n");
    ServerClient.Answer a = client.getText("/metrics");
    if (a.status() != 200) {
      sb.append("not available (").append(a.status() == 0 ? "no answer" : "HTTP " + a.status()).append(")\n");
      return;
    }
    List<String> lines = a.body().lines().filter(l -> l.startsWith("vllm:cache_config_info")).toList();
    if (lines.isEmpty()) {
      sb.append("not available (no vllm:cache_config_info in /metrics)\n");
      return;
    }
    String labels = lines.get(0).substring(lines.get(0).indexOf('{') + 1, lines.get(0).lastIndexOf('}'));
    for (String kv : labels.split(",(?=[a-zA-Z_]+=)")) {
      sb.append(kv.replace("=\"", ": ").replaceAll("\"$", "")).append('\n');
    }
  }

  static boolean isLocal(String baseUrl) {
    try {
      InetAddress a = InetAddress.getByName(URI.create(baseUrl).getHost());
      return a.isLoopbackAddress() || a.isAnyLocalAddress()
          || java.net.NetworkInterface.getByInetAddress(a) != null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static int port(String baseUrl) {
    URI u = URI.create(baseUrl);
    return u.getPort() > 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
