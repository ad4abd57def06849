package llmbench.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbench.trace.RequestRecord;

/**
 * The one place where metrics are defined, following vLLM's calculate_metrics
 * (vllm/benchmarks/serve.py) and request timing (vllm/benchmarks/lib/endpoint_request_func.py):
 * <ul>
 *   <li>TTFT = first event with non-empty choices − request start;</li>
 *   <li>ITL = gaps between later such events, per chunk, pooled over requests;</li>
 *   <li>E2EL = last event with choices − request start (not the usage chunk, not [DONE]);</li>
 *   <li>TPOT = (E2EL − TTFT) / (output tokens − 1), only when output tokens > 1;</li>
 *   <li>output tokens = usage.completion_tokens (fallback: the caller's re-tokenized text);</li>
 *   <li>input tokens = usage.prompt_tokens, else the requested length;</li>
 *   <li>failed requests count only in {@code failed} and {@code errors}, never in latency stats.</li>
 * </ul>
 * Unlike vLLM, an in-band {@code {"error": ...}} after HTTP 200 is a failure.
 */
public final class VllmMetrics {
  public static final List<String> DEFAULT_PERCENTILE_METRICS = List.of("ttft", "tpot", "itl", "e2el");
  public static final List<Double> DEFAULT_PERCENTILES = List.of(99.0);

  /** Counts output tokens from generated text when the server sent no usage. */
  public interface TextTokenCounter {
    int count(String text);
  }

  private VllmMetrics() {}

  public static LevelMetrics compute(List<RequestRecord> records, List<Double> percentiles, Slo slo,
      TextTokenCounter fallbackCounter) {
    long levelStart = Long.MAX_VALUE;
    long levelEnd = Long.MIN_VALUE;
    for (RequestRecord r : records) {
      levelStart = Math.min(levelStart, r.startNs());
      levelEnd = Math.max(levelEnd, r.endNs());
    }
    double duration = records.isEmpty() ? 0 : (levelEnd - levelStart) / 1e9;

    List<Integer> inputLens = new ArrayList<>();
    List<Integer> outputLens = new ArrayList<>();
    List<Double> ttfts = new ArrayList<>();
    List<double[]> itls = new ArrayList<>();
    List<Double> latencies = new ArrayList<>();
    List<Double> startTimes = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    DoubleList okTtft = new DoubleList();
    DoubleList okTpot = new DoubleList();
    DoubleList okE2el = new DoubleList();
    DoubleList okItl = new DoubleList(); // pooled over requests: millions of values, kept unboxed
    int completed = 0;
    int good = 0;
    long totalIn = 0;
    long totalOut = 0;
    for (RequestRecord r : records) {
      int input = r.promptTokens() >= 0 ? r.promptTokens() : r.requestedInput();
      inputLens.add(input);
      startTimes.add((r.startNs() - levelStart) / 1e9);
      texts.add(r.generatedText());
      errors.add(r.success() ? "" : r.error());
      if (!r.success()) {
        outputLens.add(0);
        ttfts.add(0.0);
        itls.add(new double[0]);
        latencies.add(0.0);
        continue;
      }
      long[] c = r.chunkNs();
      double ttft = (c[0] - r.startNs()) / 1e9;
      double latency = (c[c.length - 1] - r.startNs()) / 1e9;
      double[] itl = new double[c.length - 1];
      for (int i = 1; i < c.length; i++) {
        itl[i - 1] = (c[i] - c[i - 1]) / 1e9;
        okItl.add(itl[i - 1]);
      }
      int output = r.completionTokens() >= 0 ? r.completionTokens()
          : fallbackCounter.count(r.generatedText());
      double tpot = 0;
      if (output > 1) {
        tpot = (latency - ttft) / (output - 1);
        okTpot.add(tpot);
      }
      if (slo.good(ttft, tpot, latency)) {
        good++;
      }
      completed++;
      totalIn += input;
      totalOut += output;
      outputLens.add(output);
      ttfts.add(ttft);
      itls.add(itl);
      latencies.add(latency);
      okTtft.add(ttft);
      okE2el.add(latency);
    }
    Map<String, LevelMetrics.Summary> summaries = new LinkedHashMap<>();
    summaries.put("ttft", summary(okTtft, percentiles));
    summaries.put("tpot", summary(okTpot, percentiles));
    summaries.put("itl", summary(okItl, percentiles));
    summaries.put("e2el", summary(okE2el, percentiles));
    double d = duration > 0 ? duration : Double.NaN;
    return new LevelMetrics(records.size(), duration, completed, records.size() - completed, totalIn,
        totalOut, rate(completed, d), slo.isEmpty() ? null : rate(good, d), rate(totalOut, d),
        rate(totalIn + totalOut, d), peakOutputTokensPerSecond(records),
        peakConcurrency(records), inputLens, outputLens, ttfts, itls, latencies, startTimes, texts,
        errors, summaries, okItl.size(), okTpot.size());
  }

  private static double rate(double n, double duration) {
    return Double.isNaN(duration) ? 0 : n / duration;
  }

  private static LevelMetrics.Summary summary(DoubleList secs, List<Double> percentiles) {
    double[] ms = secs.toArray();
    for (int i = 0; i < ms.length; i++) {
      ms[i] *= 1000;
    }
    Distribution d = Distribution.ofOwned(ms);
    Map<Double, Double> p = new LinkedHashMap<>();
    for (double q : percentiles) {
      p.put(q, d.percentile(q));
    }
    return new LevelMetrics.Summary(d.mean(), d.median(), d.std(), p);
  }

  /**
   * vLLM's max_output_tokens_per_s: token times rebuilt as start + ttft then cumulative ITL (one per
   * chunk), counted in 1 s bins from the earliest start of a successful request; the fullest bin.
   */
  static double peakOutputTokensPerSecond(List<RequestRecord> records) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (RequestRecord r : records) {
      if (r.success()) {
        min = Math.min(min, r.startNs());
        max = Math.max(max, r.chunkNs()[r.chunkNs().length - 1]);
      }
    }
    if (min == Long.MAX_VALUE) {
      return 0;
    }
    int bins = (int) Math.ceil((max - min) / 1e9) + 1;
    double[] counts = new double[bins];
    for (RequestRecord r : records) {
      if (r.success()) {
        for (long t : r.chunkNs()) {
          int bin = (int) ((t - min) / 1_000_000_000L);
          if (bin >= 0 && bin < bins) {
            counts[bin]++;
          }
        }
      }
    }
    return Arrays.stream(counts).max().orElse(0);
  }

  /** A growable array of primitive doubles. */
  private static final class DoubleList {
    private double[] a = new double[16];
    private int n;

    void add(double v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int size() {
      return n;
    }

    double[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }

  /** vLLM's max_concurrent_requests: an exact sweep over [start, start + latency) of successful requests. */
  static int peakConcurrency(List<RequestRecord> records) {
    List<long[]> events = new ArrayList<>();
    for (RequestRecord r : records) {
      if (r.success()) {
        events.add(new long[] {r.startNs(), 1});
        events.add(new long[] {r.chunkNs()[r.chunkNs().length - 1], -1});
      }
    }
    // ends before starts at the same instant: the intervals are half-open
    events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int cur = 0;
    int peak = 0;
    for (long[] e : events) {
      cur += (int) e[1];
      peak = Math.max(peak, cur);
    }
    return peak;
  }
}
