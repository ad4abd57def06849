package llmbench.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import llmbench.stats.Distribution;

/** Helpers shared by the benchmarks: a lean closed-loop streaming client and number formatting. */
final class BenchUtil {
  private BenchUtil() {}

  static String body(int promptWords, int maxTokens, long n) {
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < promptWords; i++) {
      p.append(i == 0 ? "ba" : " be");
    }
    return "{\"prompt\":\"" + p + "\",\"max_tokens\":" + maxTokens
        + ",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"ignore_eos\":true}";
  }

  /**
   * Keeps {@code concurrency} streaming requests in flight until {@code total} have completed; the
   * bodies are read and dropped (the mock's ground truth is what these benchmarks look at).
   * @return failures
   */
  static int closedLoop(String url, int concurrency, int total, int promptWords, int maxTokens) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    HttpClient client = HttpClient.newBuilder().executor(pool).connectTimeout(Duration.ofSeconds(30)).build();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(next(client, url, started, total, failed, errors, promptWords, maxTokens));
    }
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    pool.shutdown();
    if (!errors.isEmpty()) {
      System.err.println("first client error: " + errors.peek());
    }
    return failed.get();
  }

  private static CompletableFuture<Void> next(HttpClient client, String url, AtomicInteger started, int total,
      AtomicInteger failed, ConcurrentLinkedQueue<Throwable> errors, int promptWords, int maxTokens) {
    int n = started.getAndIncrement();
    if (n >= total) {
      return CompletableFuture.completedFuture(null);
    }
    HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/v1/completions"))
        .header("X-Request-Id", "bench-" + n).timeout(Duration.ofMinutes(10))
        .POST(HttpRequest.BodyPublishers.ofString(body(promptWords, maxTokens, n))).build();
    return client.sendAsync(req, HttpResponse.BodyHandlers.discarding())
        .handle((res, t) -> {
          if (t != null || res.statusCode() != 200) {
            failed.incrementAndGet();
            if (t != null) {
              errors.add(t);
            }
          }
          return null;
        })
        .thenCompose(x -> next(client, url, started, total, failed, errors, promptWords, maxTokens));
  }

  static String ms(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static String pct(Distribution d) {
    return "p50 " + ms(d.median()) + " / p99 " + ms(d.percentile(99)) + " / max " + ms(max(d));
  }

  static double max(Distribution d) {
    return d.size() == 0 ? 0 : d.percentile(100);
  }

  static Distribution dist(List<Double> v) {
    return new Distribution(v.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
