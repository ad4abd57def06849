package llmbench.telemetry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server metrics we follow, by our own names, and where each engine publishes them
 * (FIELD_NOTES §12; vLLM: vllm/v1/metrics/loggers.py, SGLang: sglang/srt/metrics/collector.py,
 * llama.cpp: tools/server/server.cpp, TGI: router/src/server.rs). Each series is the sum over every
 * label but a histogram's {@code le}, so that data-parallel engines ({@code engine="0"}, ...) add up.
 * Names change across versions: the first family found wins; a missing one is left out.
 */
public final class ServerSeries {
  public static final String RUNNING = "running";
  public static final String WAITING = "waiting";
  /** KV-cache usage, 0..1. */
  public static final String KV_CACHE_USAGE = "kv_cache_usage";
  public static final String PREEMPTIONS = "preemptions";
  public static final String PROMPT_TOKENS = "prompt_tokens";
  public static final String GENERATION_TOKENS = "generation_tokens";
  /** Prompt tokens looked up in the prefix cache, and found there. */
  public static final String PREFIX_QUERIES = "prefix_cache_queries";
  public static final String PREFIX_HITS = "prefix_cache_hits";
  /** SGLang publishes only a rate. */
  public static final String PREFIX_HIT_RATE = "prefix_cache_hit_rate";
  public static final String REQUESTS_FINISHED = "requests_finished";
  /** Histograms: each gives {@code <name>_sum} (seconds) and {@code <name>_count}. */
  public static final String TTFT = "ttft_seconds";
  public static final String ITL = "itl_seconds";
  public static final String QUEUE = "queue_seconds";
  public static final String E2EL = "e2el_seconds";
  /** Speculative decoding (FIELD_NOTES §20): drafts, draft tokens proposed, accepted; SGLang: gauges. */
  public static final String SPEC_DRAFTS = "spec_drafts";
  public static final String SPEC_DRAFT_TOKENS = "spec_draft_tokens";
  public static final String SPEC_ACCEPTED = "spec_accepted_tokens";
  public static final String SPEC_ACCEPT_LENGTH = "spec_accept_length";
  public static final String SPEC_ACCEPT_RATE = "spec_accept_rate";

  /** Counters: a drop between two scrapes means the server restarted. */
  public static final List<String> COUNTERS = List.of(PREEMPTIONS, PROMPT_TOKENS, GENERATION_TOKENS,
      PREFIX_QUERIES, PREFIX_HITS, REQUESTS_FINISHED, TTFT + "_sum", TTFT + "_count", ITL + "_sum",
      ITL + "_count", QUEUE + "_sum", QUEUE + "_count", E2EL + "_sum", E2EL + "_count", SPEC_DRAFTS,
      SPEC_DRAFT_TOKENS, SPEC_ACCEPTED);

  private static final List<String> RATIOS = List.of("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc",
      "sglang:token_usage", "sglang:cache_hit_rate", "sglang:spec_accept_length", "sglang:spec_accept_rate");

  private static final Map<String, List<String>> FAMILIES = new LinkedHashMap<>();

  static {
    FAMILIES.put(RUNNING, List.of("vllm:num_requests_running", "sglang:num_running_reqs",
        "llamacpp:requests_processing", "tgi_batch_current_size"));
    FAMILIES.put(WAITING, List.of("vllm:num_requests_waiting", "sglang:num_queue_reqs",
        "llamacpp:requests_deferred", "tgi_queue_size"));
    FAMILIES.put(KV_CACHE_USAGE, List.of("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc",
        "sglang:token_usage"));
    FAMILIES.put(PREEMPTIONS, List.of("vllm:num_preemptions_total"));
    FAMILIES.put(PROMPT_TOKENS, List.of("vllm:prompt_tokens_total", "sglang:prompt_tokens_total",
        "llamacpp:prompt_tokens_total"));
    FAMILIES.put(GENERATION_TOKENS, List.of("vllm:generation_tokens_total", "sglang:generation_tokens_total",
        "llamacpp:tokens_predicted_total"));
    FAMILIES.put(PREFIX_QUERIES, List.of("vllm:prefix_cache_queries_total"));
    FAMILIES.put(PREFIX_HITS, List.of("vllm:prefix_cache_hits_total", "llamacpp:prompt_tokens_cached_total"));
    FAMILIES.put(PREFIX_HIT_RATE, List.of("sglang:cache_hit_rate"));
    FAMILIES.put(REQUESTS_FINISHED, List.of("vllm:request_success_total", "sglang:num_requests_total"));
    FAMILIES.put(TTFT, List.of("vllm:time_to_first_token_seconds", "sglang:time_to_first_token_seconds"));
    FAMILIES.put(ITL, List.of("vllm:inter_token_latency_seconds", "vllm:time_per_output_token_seconds",
        "sglang:inter_token_latency_seconds", "sglang:time_per_output_token_seconds"));
    FAMILIES.put(QUEUE, List.of("vllm:request_queue_time_seconds", "sglang:queue_time_seconds",
        "tgi_request_queue_duration"));
    FAMILIES.put(E2EL, List.of("vllm:e2e_request_latency_seconds", "sglang:e2e_request_latency_seconds"));
    FAMILIES.put(SPEC_DRAFTS, List.of("vllm:spec_decode_num_drafts_total", "llamacpp:spec_decode_num_drafts_total"));
    FAMILIES.put(SPEC_DRAFT_TOKENS, List.of("vllm:spec_decode_num_draft_tokens_total",
        "llamacpp:spec_decode_num_draft_tokens_total"));
    FAMILIES.put(SPEC_ACCEPTED, List.of("vllm:spec_decode_num_accepted_tokens_total",
        "llamacpp:spec_decode_num_accepted_tokens_total"));
    FAMILIES.put(SPEC_ACCEPT_LENGTH, List.of("sglang:spec_accept_length"));
    FAMILIES.put(SPEC_ACCEPT_RATE, List.of("sglang:spec_accept_rate"));
  }

  private ServerSeries() {}

  /** Our series from one scrape; empty when the text has none of the families we know. */
  public static Map<String, Double> of(List<PromText.Sample> samples) {
    Map<String, Double> sums = new LinkedHashMap<>();
    Map<String, Integer> series = new LinkedHashMap<>();
    for (PromText.Sample s : samples) {
      if (!s.labels().containsKey("le") && Double.isFinite(s.value())) {
        sums.merge(s.name(), s.value(), Double::sum);
        series.merge(s.name(), 1, Integer::sum);
      }
    }
    // a fraction per engine (KV-cache usage, hit rate) averages over the engines instead
    for (String family : RATIOS) {
      if (sums.containsKey(family)) {
        sums.put(family, sums.get(family) / series.get(family));
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : FAMILIES.entrySet()) {
      boolean histogram = e.getKey().endsWith("_seconds");
      for (String family : e.getValue()) {
        if (histogram && sums.containsKey(family + "_count")) {
          out.put(e.getKey() + "_sum", sums.getOrDefault(family + "_sum", 0.0));
          out.put(e.getKey() + "_count", sums.get(family + "_count"));
          break;
        }
        if (!histogram && sums.containsKey(family)) {
          out.put(e.getKey(), sums.get(family));
          break;
        }
      }
    }
    // llama.cpp counts cached prompt tokens apart from the prompt tokens it computed
    if (sums.containsKey("llamacpp:prompt_tokens_cached_total") && sums.containsKey("llamacpp:prompt_tokens_total")) {
      out.put(PREFIX_QUERIES, sums.get("llamacpp:prompt_tokens_total") + sums.get("llamacpp:prompt_tokens_cached_total"));
    }
    return out;
  }

  /** vllm, sglang, llamacpp or tgi, by the families' prefix; null when none is known. */
  public static String engine(List<PromText.Sample> samples) {
    for (PromText.Sample s : samples) {
      String n = s.name();
      for (String prefix : List.of("vllm:", "sglang:", "llamacpp:", "tgi_")) {
        if (n.startsWith(prefix)) {
          return prefix.replaceAll("[:_]$", "");
        }
      }
    }
    return null;
  }
}
