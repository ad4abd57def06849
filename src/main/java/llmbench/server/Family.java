package llmbench.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Which server family answers, since each counts chat prompts and takes sampling fields its own way
 * (FIELD_NOTES §19, §23), and whether it decodes speculatively (its /metrics says so). Asked once per
 * run, with a few GETs: the built-in mock names the family it plays in /version; SGLang answers
 * /server_info, llama.cpp /props, TGI /info, vLLM /version.
 */
public enum Family {
  VLLM, SGLANG, LLAMACPP, TGI, UNKNOWN;

  /** The family, and whether /metrics shows speculative decoding (vLLM's and llama.cpp's counters, SGLang's gauges). */
  public record Kind(Family family, boolean specDecode) {}

  public static Kind detect(ServerClient client) {
    return new Kind(family(client), specDecode(client.getText("/metrics")));
  }

  private static Family family(ServerClient client) {
    ServerClient.Answer version = client.getText("/version");
    if (version.status() == 200 && version.body().contains("llmbench.mock")) {
      JsonNode v = client.getJsonOrNull("/version");
      String shape = v == null ? "vllm" : v.path("llmbench_mock_shape").asText("vllm");
      return shape.equals("vllm") ? VLLM : valueOf(shape.toUpperCase(Locale.ROOT));
    }
    if (client.getJsonOrNull("/server_info") != null || client.getJsonOrNull("/get_server_info") != null) {
      return SGLANG;
    }
    JsonNode props = client.getJsonOrNull("/props");
    if (props != null && (props.has("default_generation_settings") || props.has("n_ctx"))) {
      return LLAMACPP;
    }
    JsonNode info = client.getJsonOrNull("/info");
    if (info != null && (info.has("max_total_tokens") || info.has("model_id"))) {
      return TGI;
    }
    return version.status() == 200 ? VLLM : UNKNOWN;
  }

  static boolean specDecode(ServerClient.Answer metrics) {
    return metrics.status() == 200 && (metrics.body().contains("spec_decode_num_drafts")
        || metrics.body().contains("sglang:spec_accept"));
  }

  /**
   * Sends {@code min_tokens}: vLLM checks it before EOS and stop ids, SGLang maps it to
   * {@code min_new_tokens}; llama.cpp's server and TGI do not document it.
   */
  public boolean takesMinTokens() {
    return this == VLLM || this == SGLANG;
  }

  /** Streams usage on every chunk when asked ({@code stream_options.continuous_usage_stats}). */
  public boolean streamsChunkUsage() {
    return this == VLLM || this == SGLANG;
  }

  public String label() {
    return this == LLAMACPP ? "llama.cpp" : this == UNKNOWN ? "unknown" : name().equals("VLLM") ? "vLLM"
        : name().equals("SGLANG") ? "SGLang" : name();
  }
}
