package llmbench.mock;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** The simulated engine's state in vLLM's Prometheus names (vllm/v1/metrics/loggers.py). */
final class MockMetrics {
  private static final double[] TTFT_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
      0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};

  private volatile int running;
  private volatile int waiting;
  private volatile double kvUsage;
  private final AtomicLong preemptions = new AtomicLong();
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong generationTokens = new AtomicLong();
  private final AtomicLongArray ttftCounts = new AtomicLongArray(TTFT_BUCKETS.length + 1);
  private final AtomicLong ttftSumNanos = new AtomicLong();

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

  void addGenerationTokens(long n) {
    generationTokens.addAndGet(n);
  }

  void observeTtft(double seconds) {
    int i = 0;
    while (i < TTFT_BUCKETS.length && seconds > TTFT_BUCKETS[i]) {
      i++;
    }
    ttftCounts.incrementAndGet(i);
    ttftSumNanos.addAndGet(Math.round(seconds * 1e9));
  }

  long preemptions() {
    return preemptions.get();
  }

  String render(MockConfig config) {
    String model = "model_name=\"" + config.modelId() + "\"";
    StringBuilder sb = new StringBuilder(4096);
    gauge(sb, "vllm:num_requests_running", "Number of requests in model execution batches.", model, running);
    gauge(sb, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", model, waiting);
    gauge(sb, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", model, kvUsage);
    counter(sb, "vllm:num_preemptions_total", "Cumulative number of preemption from the engine.", model, preemptions.get());
    counter(sb, "vllm:prompt_tokens_total", "Number of prefill tokens processed.", model, promptTokens.get());
    counter(sb, "vllm:generation_tokens_total", "Number of generation tokens processed.", model, generationTokens.get());
    sb.append("# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.\n");
    sb.append("# TYPE vllm:time_to_first_token_seconds histogram\n");
    long cumulative = 0;
    for (int i = 0; i <= TTFT_BUCKETS.length; i++) {
      cumulative += ttftCounts.get(i);
      String le = i < TTFT_BUCKETS.length ? fmt(TTFT_BUCKETS[i]) : "+Inf";
      sb.append("vllm:time_to_first_token_seconds_bucket{le=\"").append(le).append("\",")
          .append(model).append("} ").append(cumulative).append(".0\n");
    }
    sb.append("vllm:time_to_first_token_seconds_count{").append(model).append("} ").append(cumulative).append(".0\n");
    sb.append("vllm:time_to_first_token_seconds_sum{").append(model).append("} ")
        .append(fmt(ttftSumNanos.get() / 1e9)).append('\n');
    sb.append("# HELP vllm:cache_config_info Information of the LLMEngine CacheConfig\n");
    sb.append("# TYPE vllm:cache_config_info gauge\n");
    sb.append("vllm:cache_config_info{block_size=\"").append(config.blockSize())
        .append("\",cache_dtype=\"auto\",enable_prefix_caching=\"False\",gpu_memory_utilization=\"0.9\",")
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
