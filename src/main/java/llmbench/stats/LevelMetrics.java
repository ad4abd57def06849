package llmbench.stats;

import java.util.List;
import java.util.Map;

/**
 * One level's results with vLLM's names (vllm/benchmarks/serve.py, BenchmarkMetrics and the
 * per-request arrays of result_json). Times in the arrays are seconds; summary statistics are ms.
 */
public record LevelMetrics(
    int numPrompts,
    double duration,
    int completed,
    int failed,
    long totalInput,
    long totalOutput,
    double requestThroughput,
    Double requestGoodput,
    double outputThroughput,
    double totalTokenThroughput,
    double maxOutputTokensPerS,
    int maxConcurrentRequests,
    List<Integer> inputLens,
    List<Integer> outputLens,
    List<Double> ttfts,
    List<Double> latencies,
    List<Double> startTimes,
    /** itls, generated_texts and errors, read from disk one request at a time. */
    PerRequest perRequest,
    /** metric (ttft, tpot, itl, e2el) → statistics in ms. */
    Map<String, Summary> summaries,
    int itlSamples,
    int tpotSamples) {

  /** Request {@code i}'s bulky fields, in the order of the arrays above. */
  public interface PerRequest {
    double[] itls(int i);

    String generatedText(int i);

    String error(int i);
  }

  /** mean/median/std and the requested percentiles of one metric, in ms. */
  public record Summary(double mean, double median, double std, Map<Double, Double> percentiles) {}
}
