package llmbench.stats;

import java.nio.file.Path;
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

  /** One request's TPOT (any unit, as its TTFT and E2EL); defined only for more than one output token. */
  public static double tpot(double ttft, double latency, int outputTokens) {
    return (latency - ttft) / (outputTokens - 1);
  }
  public static final List<Double> DEFAULT_PERCENTILES = List.of(99.0);

  /** Counts output tokens from generated text when the server sent no usage. */
  public interface TextTokenCounter {
    int count(String text);
  }

  private VllmMetrics() {}

  /** All of a level's records at once (tests, small inputs); temporary files in java.io.tmpdir. */
  public static LevelMetrics compute(List<RequestRecord> records, List<Double> percentiles, Slo slo,
      TextTokenCounter fallbackCounter) {
    Level level = new Level(Path.of(System.getProperty("java.io.tmpdir")), fallbackCounter);
    records.forEach(level::add);
    return level.finish(percentiles, slo);
  }

  /**
   * One level's metrics from records streamed one at a time: per request a few numbers stay in the
   * heap, and each chunk's ITL, the text and the error go to {@link RequestDetails}' temporary files.
   * Memory grows with requests (tens of bytes each), not with chunks. Close it when its
   * {@link LevelMetrics} has been written.
   */
  public static final class Level implements AutoCloseable {
    private final TextTokenCounter counter;
    private final RequestDetails details;
    private long[] startNs = new long[64];
    private long[] endNs = new long[64];
    private long[] firstChunkNs = new long[64];
    private long[] lastChunkNs = new long[64];
    private int[] inputLen = new int[64];
    private int[] outputLen = new int[64];
    private int[] itlCount = new int[64];
    private boolean[] success = new boolean[64];
    private int n;
    private long chunks;
    private long minStartEpochMs = Long.MAX_VALUE;
    private long itlSumNs;
    private long itlMinNs = Long.MAX_VALUE;
    private long itlMaxNs = Long.MIN_VALUE;
    private RequestRecord first;

    public Level(Path tempDir, TextTokenCounter counter) {
      this.counter = counter;
      this.details = new RequestDetails(tempDir);
    }

    public void add(RequestRecord r) {
      if (n == startNs.length) {
        grow();
      }
      if (first == null) {
        first = r;
      }
      long[] c = r.chunkNs();
      chunks += c.length;
      minStartEpochMs = Math.min(minStartEpochMs, r.startEpochMs());
      startNs[n] = r.startNs();
      endNs[n] = r.endNs();
      inputLen[n] = r.promptTokens() >= 0 ? r.promptTokens() : r.requestedInput();
      success[n] = r.success();
      if (r.success()) {
        firstChunkNs[n] = c[0];
        lastChunkNs[n] = c[c.length - 1];
        outputLen[n] = r.completionTokens() >= 0 ? r.completionTokens() : counter.count(r.generatedText());
        itlCount[n] = c.length - 1;
        for (int i = 1; i < c.length; i++) {
          long itl = c[i] - c[i - 1];
          itlSumNs += itl;
          itlMinNs = Math.min(itlMinNs, itl);
          itlMaxNs = Math.max(itlMaxNs, itl);
        }
        details.add(c, r.generatedText(), "");
      } else {
        details.add(new long[0], r.generatedText(), r.error());
      }
      n++;
    }

    private void grow() {
      int size = n * 2;
      startNs = Arrays.copyOf(startNs, size);
      endNs = Arrays.copyOf(endNs, size);
      firstChunkNs = Arrays.copyOf(firstChunkNs, size);
      lastChunkNs = Arrays.copyOf(lastChunkNs, size);
      inputLen = Arrays.copyOf(inputLen, size);
      outputLen = Arrays.copyOf(outputLen, size);
      itlCount = Arrays.copyOf(itlCount, size);
      success = Arrays.copyOf(success, size);
    }

    public int size() {
      return n;
    }

    /** The first record added: the level's shape (concurrency, requested lengths). */
    public RequestRecord first() {
      return first;
    }

    /** Every chunk received, failed requests included. */
    public long chunks() {
      return chunks;
    }

    public long minStartEpochMs() {
      return minStartEpochMs;
    }

    public LevelMetrics finish(List<Double> percentiles, Slo slo) {
      long levelStart = Long.MAX_VALUE;
      long levelEnd = Long.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        levelStart = Math.min(levelStart, startNs[i]);
        levelEnd = Math.max(levelEnd, endNs[i]);
      }
      double duration = n == 0 ? 0 : (levelEnd - levelStart) / 1e9;
      // vLLM's arrays follow the order requests were sent
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Long.compare(startNs[a], startNs[b]));

      List<Integer> inputLens = new ArrayList<>(n);
      List<Integer> outputLens = new ArrayList<>(n);
      List<Double> ttfts = new ArrayList<>(n);
      List<Double> latencies = new ArrayList<>(n);
      List<Double> startTimes = new ArrayList<>(n);
      DoubleList okTtft = new DoubleList();
      DoubleList okTpot = new DoubleList();
      DoubleList okE2el = new DoubleList();
      int completed = 0;
      int good = 0;
      long totalIn = 0;
      long totalOut = 0;
      for (int i : order) {
        inputLens.add(inputLen[i]);
        startTimes.add((startNs[i] - levelStart) / 1e9);
        if (!success[i]) {
          outputLens.add(0);
          ttfts.add(0.0);
          latencies.add(0.0);
          continue;
        }
        double ttft = (firstChunkNs[i] - startNs[i]) / 1e9;
        double latency = (lastChunkNs[i] - startNs[i]) / 1e9;
        int output = outputLen[i];
        double tpot = 0;
        if (output > 1) {
          tpot = tpot(ttft, latency, output);
          okTpot.add(tpot);
        }
        if (slo.good(ttft, tpot, latency)) {
          good++;
        }
        completed++;
        totalIn += inputLen[i];
        totalOut += output;
        outputLens.add(output);
        ttfts.add(ttft);
        latencies.add(latency);
        okTtft.add(ttft);
        okE2el.add(latency);
      }
      details.seal();
      Map<String, LevelMetrics.Summary> summaries = new LinkedHashMap<>();
      summaries.put("ttft", summary(okTtft, percentiles));
      summaries.put("tpot", summary(okTpot, percentiles));
      ItlPass pass = itlPass();
      summaries.put("itl", itlSummary(pass.std, percentiles));
      summaries.put("e2el", summary(okE2el, percentiles));
      double d = duration > 0 ? duration : Double.NaN;
      LevelMetrics.PerRequest perRequest = new LevelMetrics.PerRequest() {
        @Override
        public double[] itls(int k) {
          return details.itlSeconds(order[k]);
        }

        @Override
        public String generatedText(int k) {
          return details.textAndError(order[k])[0];
        }

        @Override
        public String error(int k) {
          return details.textAndError(order[k])[1];
        }
      };
      return new LevelMetrics(n, duration, completed, n - completed, totalIn,
          totalOut, rate(completed, d), slo.isEmpty() ? null : rate(good, d), rate(totalOut, d),
          rate(totalIn + totalOut, d), pass.peakTokensPerS, peakConcurrency(), inputLens, outputLens,
          ttfts, latencies, startTimes, perRequest, summaries, (int) details.itlCount(), okTpot.size());
    }

    private record ItlPass(double std, double peakTokensPerS) {}

    /**
     * One pass over the stored ITLs for what needs the mean first (numpy's two-pass std) or every
     * chunk's time: vLLM's max_output_tokens_per_s, with token times rebuilt as start + ttft then
     * cumulative ITL (one per chunk), counted in 1 s bins from the earliest start of a successful
     * request; the fullest bin.
     */
    private ItlPass itlPass() {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        if (success[i]) {
          min = Math.min(min, startNs[i]);
          max = Math.max(max, lastChunkNs[i]);
        }
      }
      if (min == Long.MAX_VALUE) {
        return new ItlPass(0, 0);
      }
      long origin = min;
      double[] bins = new double[(int) Math.ceil((max - min) / 1e9) + 1];
      for (int i = 0; i < n; i++) {
        long bin = (firstChunkNs[i] - origin) / 1_000_000_000L;
        if (success[i] && bin >= 0 && bin < bins.length) {
          bins[(int) bin]++;
        }
      }
      long count = details.itlCount();
      double meanMs = count == 0 ? 0 : itlMeanMs();
      double[] squares = {0};
      int[] req = {-1};
      long[] left = {0};
      long[] at = {0};
      details.forEachItlNs(v -> {
        while (left[0] == 0) {
          req[0]++;
          left[0] = itlCount[req[0]];
          at[0] = firstChunkNs[req[0]];
        }
        left[0]--;
        at[0] += v;
        long bin = (at[0] - origin) / 1_000_000_000L;
        if (bin >= 0 && bin < bins.length) {
          bins[(int) bin]++;
        }
        double dev = ms(v) - meanMs;
        squares[0] += dev * dev;
      });
      double std = count == 0 ? 0 : Math.sqrt(squares[0] / count);
      return new ItlPass(std, Arrays.stream(bins).max().orElse(0));
    }

    private double itlMeanMs() {
      return (double) itlSumNs / details.itlCount() / 1e6;
    }

    /** Pooled ITL statistics, exact: the order statistics are selected from the stored ITLs. */
    private LevelMetrics.Summary itlSummary(double std, List<Double> percentiles) {
      long count = details.itlCount();
      if (count == 0) {
        Map<Double, Double> zeros = new LinkedHashMap<>();
        percentiles.forEach(p -> zeros.put(p, 0.0));
        return new LevelMetrics.Summary(0, 0, 0, zeros);
      }
      List<Double> wanted = new ArrayList<>(percentiles);
      wanted.add(50.0);
      long[] ranks = new long[wanted.size() * 2];
      for (int k = 0; k < wanted.size(); k++) {
        double h = (count - 1) * wanted.get(k) / 100.0;
        ranks[2 * k] = (long) Math.floor(h);
        ranks[2 * k + 1] = Math.min(ranks[2 * k] + 1, count - 1);
      }
      long[] values = OrderStatistics.select(details::forEachItlNs, count, itlMinNs, itlMaxNs, ranks);
      Map<Double, Double> p = new LinkedHashMap<>();
      double median = 0;
      for (int k = 0; k < wanted.size(); k++) {
        double h = (count - 1) * wanted.get(k) / 100.0;
        double lo = ms(values[2 * k]);
        double v = lo + (h - ranks[2 * k]) * (ms(values[2 * k + 1]) - lo);
        if (k < percentiles.size()) {
          p.put(wanted.get(k), v);
        } else {
          median = v;
        }
      }
      return new LevelMetrics.Summary(itlMeanMs(), median, std, p);
    }

    /** vLLM's max_concurrent_requests: an exact sweep over [start, start + latency) of successful requests. */
    private int peakConcurrency() {
      List<long[]> events = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (success[i]) {
          events.add(new long[] {startNs[i], 1});
          events.add(new long[] {lastChunkNs[i], -1});
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

    @Override
    public void close() {
      details.close();
    }
  }

  /** ns to ms as the per-request ITLs are written (seconds) and then scaled, so both agree. */
  private static double ms(long ns) {
    return ns / 1e9 * 1000;
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
}
