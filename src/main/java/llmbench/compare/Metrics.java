package llmbench.compare;

import java.util.ArrayList;
import java.util.List;

/** The values compared per level (result JSON keys, vLLM's names), and which way is better. */
public final class Metrics {
  public static final String PEAK_GPU = "peak_gpu_mib";
  public static final List<String> KEYS;

  static {
    List<String> k = new ArrayList<>(List.of("request_throughput", "output_throughput", "total_token_throughput"));
    for (String m : List.of("ttft", "tpot", "itl", "e2el")) {
      for (String s : List.of("mean", "median", "p99")) {
        k.add(s + "_" + m + "_ms");
      }
    }
    // a reasoning model's time to its answer (samples: ttfos), speculative decoding (level-wide values)
    for (String st : List.of("mean", "median", "p99")) {
      k.add(st + "_ttfo_ms");
    }
    k.addAll(List.of("answer_output_throughput", "mean_itl_per_token_ms", "mean_tokens_per_chunk",
        "server_spec_acceptance_rate"));
    k.add("failed");
    k.add(PEAK_GPU);
    KEYS = List.copyOf(k);
  }

  private Metrics() {}

  /** Throughput, tokens per chunk, acceptance: higher is better; everything else (latency, failures, memory): lower. */
  public static boolean higherIsBetter(String key) {
    return key.endsWith("_throughput") || key.equals("mean_tokens_per_chunk") || key.equals("server_spec_acceptance_rate");
  }

  /** ttft, tpot, itl, e2el or ttfo for a latency key (its samples decide whether a change is noise); else null. */
  public static String sampleOf(String key) {
    for (String m : List.of("ttft", "tpot", "itl", "e2el", "ttfo")) {
      if (key.endsWith("_" + m + "_ms")) {
        return m;
      }
    }
    return null;
  }
}
