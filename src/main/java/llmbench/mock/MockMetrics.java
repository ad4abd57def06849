package llmbench.mock;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The simulated engine's state in vLLM's Prometheus names and buckets (vllm/v1/metrics/loggers.py):
 * what the scheduler really did, observed at the simulated step's end, as vLLM observes it per
 * iteration. Prefix-cache queries and hits are counted in tokens, as vLLM counts them.
 */
final class MockMetrics {
  private static final double[] TTFT_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
      0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
  private static final double[] ITL_BUCKETS = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4,
      0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0};
  private static final double[] REQUEST_BUCKETS = {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0,
      20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};

  /** A Prometheus histogram: cumulative buckets, a sum and a count. */
  private static final class Histogram {
    final String name;
    final String help;
    final double[] bounds;
    final AtomicLongArray counts;
    final AtomicLong sumNanos = new AtomicLong();

    Histogram(String name, String help, double[] bounds) {
      this.name = name;
      this.help = help;
      this.bounds = bounds;
      this.counts = new AtomicLongArray(bounds.length + 1);
    }

    void observe(double seconds) {
      int i = 0;
      while (i < bounds.length && seconds > bounds[i]) {
        i++;
      }
      counts.incrementAndGet(i);
      sumNanos.addAndGet(Math.round(seconds * 1e9));
    }

    void render(StringBuilder sb, String labels) {
      sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
      sb.append("# TYPE ").append(name).append(" histogram\n");
      long cumulative = 0;
      for (int i = 0; i <= bounds.length; i++) {
        cumulative += counts.get(i);
        String le = i < bounds.length ? fmt(bounds[i]) : "+Inf";
        sb.append(name).append("_bucket{le=\"").append(le).append("\",").append(labels).append("} ")
            .append(cumulative).append(".0\n");
      }
      sb.append(name).append("_count{").append(labels).append("} ").append(cumulative).append(".0\n");
      sb.append(name).append("_sum{").append(labels).append("} ").append(fmt(sumNanos.get() / 1e9)).append('\n');
    }
  }

  private volatile int running;
  private volatile int waiting;
  private volatile double kvUsage;
  private final AtomicLong preemptions = new AtomicLong();
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong generationTokens = new AtomicLong();
  private final AtomicLong prefixQueries = new AtomicLong();
  private final AtomicLong prefixHits = new AtomicLong();
  private final AtomicLong specDrafts = new AtomicLong();
  private final AtomicLong specDraftTokens = new AtomicLong();
  private final AtomicLong specAccepted = new AtomicLong();
  private final Map<String, AtomicLong> finished = new ConcurrentHashMap<>();
  private final Histogram ttft = new Histogram("vllm:time_to_first_token_seconds",
      "Histogram of time to first token in seconds.", TTFT_BUCKETS);
  private final Histogram itl = new Histogram("vllm:inter_token_latency_seconds",
      "Histogram of inter-token latency in seconds.", ITL_BUCKETS);
  private final Histogram e2e = new Histogram("vllm:e2e_request_latency_seconds",
      "Histogram of e2e request latency in seconds.", REQUEST_BUCKETS);
  private final Histogram queue = new Histogram("vllm:request_queue_time_seconds",
      "Histogram of time spent in WAITING phase for request.", REQUEST_BUCKETS);

  /** One speculative step: {@code draftTokens} proposed, {@code accepted} of them kept. */
  void addSpecDecode(int draftTokens, int accepted) {
    specDrafts.incrementAndGet();
    specDraftTokens.addAndGet(draftTokens);
    specAccepted.addAndGet(accepted);
  }

  void setGauges(int running, int waiting, double kvUsage) {
    this.running = running;
    this.waiting = waiting;
    this.kvUsage = kvUsage;
  }

  void addPreemption() {
    preemptions.incrementAndGet();
  }

  void addPromptTokens(long n) {
    promptTokens.addAndGet(n);
  }

  void addPrefixCacheQuery(long promptTokens, long cachedTokens) {
    prefixQueries.addAndGet(promptTokens);
    prefixHits.addAndGet(cachedTokens);
  }

  void addGenerationTokens(long n) {
    generationTokens.addAndGet(n);
  }

  void observeTtft(double seconds) {
    ttft.observe(seconds);
  }

  void observeItl(double seconds) {
    itl.observe(seconds);
  }

  void observeQueue(double seconds) {
    queue.observe(seconds);
  }

  void observeFinished(double e2eSeconds, String finishReason) {
    e2e.observe(e2eSeconds);
    finished.computeIfAbsent(finishReason, k -> new AtomicLong()).incrementAndGet();
  }

  long preemptions() {
    return preemptions.get();
  }

  String render(MockConfig config) {
    String model = "model_name=\"" + config.modelId() + "\"";
    StringBuilder sb = new StringBuilder(8192);
    gauge(sb, "vllm:num_requests_running", "Number of requests in model execution batches.", model, running);
    gauge(sb, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", model, waiting);
    gauge(sb, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", model, kvUsage);
    counter(sb, "vllm:num_preemptions_total", "Cumulative number of preemption from the engine.", model, preemptions.get());
    counter(sb, "vllm:prompt_tokens_total", "Number of prefill tokens processed.", model, promptTokens.get());
    counter(sb, "vllm:generation_tokens_total", "Number of generation tokens processed.", model, generationTokens.get());
    counter(sb, "vllm:prefix_cache_queries_total", "Prefix cache queries, in terms of number of queried tokens.",
        model, prefixQueries.get());
    counter(sb, "vllm:prefix_cache_hits_total", "Prefix cache hits, in terms of number of cached tokens.", model,
        prefixHits.get());
    if (config.specDecode() > 1) { // vLLM publishes these only when it decodes speculatively
      counter(sb, "vllm:spec_decode_num_drafts_total", "Number of spec decoding drafts.", model, specDrafts.get());
      counter(sb, "vllm:spec_decode_num_draft_tokens_total", "Number of draft tokens.", model, specDraftTokens.get());
      counter(sb, "vllm:spec_decode_num_accepted_tokens_total", "Number of accepted tokens.", model, specAccepted.get());
    }
    sb.append("# HELP vllm:request_success Count of successfully processed requests.\n");
    sb.append("# TYPE vllm:request_success counter\n");
    for (String reason : new String[] {"stop", "length"}) {
      AtomicLong n = finished.get(reason);
      sb.append("vllm:request_success_total{finished_reason=\"").append(reason).append("\",").append(model)
          .append("} ").append(n == null ? 0 : n.get()).append(".0\n");
    }
    ttft.render(sb, model);
    itl.render(sb, model);
    e2e.render(sb, model);
    queue.render(sb, model);
    sb.append("# HELP vllm:cache_config_info Information of the LLMEngine CacheConfig\n");
    sb.append("# TYPE vllm:cache_config_info gauge\n");
    sb.append("vllm:cache_config_info{block_size=\"").append(config.blockSize())
        .append("\",cache_dtype=\"auto\",enable_prefix_caching=\"").append(config.prefixCaching() ? "True" : "False")
        .append("\",gpu_memory_utilization=\"0.9\",")
        .append("num_cpu_blocks=\"0\",num_gpu_blocks=\"").append(config.numGpuBlocks())
        .append("\",max_num_seqs=\"").append(config.maxNumSeqs()).append("\"} 1.0\n");
    return sb.toString();
  }

  private static void gauge(StringBuilder sb, String name, String help, String labels, double v) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" gauge\n");
    sb.append(name).append('{').append(labels).append("} ").append(fmt(v)).append('\n');
  }

  private static void counter(StringBuilder sb, String name, String help, String labels, long v) {
    String base = name.substring(0, name.length() - "_total".length());
    sb.append("# HELP ").append(base).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(base).append(" counter\n");
    sb.append(name).append('{').append(labels).append("} ").append(v).append(".0\n");
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%s", v);
  }
}
