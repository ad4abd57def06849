package llmbench.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What the server's own metrics say about one level: its gauges while the level ran (ticks inside
 * it), and its counters and histograms as deltas between the scrapes at the level's start and end
 * (sum and count deltas give the server's own mean TTFT, ITL, queue time and E2EL for the level).
 * A counter that drops between two scrapes means the server restarted: the delta counts from zero
 * there, and {@code restarted} says so. Null fields are what the server does not publish, and the
 * gauges of a level shorter than {@link #MIN_TICKS} scrape intervals.
 */
public record LevelTelemetry(
    String engine,
    int scrapes,
    Double runningMean,
    Double runningMax,
    Double waitingMean,
    Double waitingMax,
    Double kvCacheUsageMaxPct,
    Double preemptions,
    Double prefixCacheHitRate,
    Double meanTtftMs,
    Double meanItlMs,
    Double meanQueueMs,
    Double meanE2elMs,
    Double requestsFinished,
    Double specAcceptanceRate,
    Double specMeanAcceptanceLength,
    Double specDrafts,
    boolean restarted) {

  /** Ticks inside a level needed for its gauges (running, waiting, KV cache). */
  public static final int MIN_TICKS = 3;

  /**
   * @param all every scrape of the run, in order
   * @param level the level's label; scrapes marked with it are used, else the window's
   */
  public static LevelTelemetry of(String engine, List<TelemetryCsv.Scrape> all, String level, long startMs, long endMs) {
    int first = -1;
    int last = -1;
    for (int i = 0; i < all.size(); i++) {
      TelemetryCsv.Scrape s = all.get(i);
      if (s.level().equals(level)) {
        first = first < 0 ? i : first;
        last = i;
      }
    }
    if (first < 0 || !all.get(first).event().equals("start")) {
      first = -1;
      for (int i = 0; i < all.size() && all.get(i).epochMs() <= startMs; i++) {
        first = i;
      }
    }
    if (last < 0 || !all.get(last).event().equals("end")) {
      last = -1;
      for (int i = all.size() - 1; i >= 0 && all.get(i).epochMs() >= endMs; i--) {
        last = i;
      }
    }
    if (first < 0 || last <= first) {
      return null;
    }
    List<TelemetryCsv.Scrape> span = all.subList(first, last + 1);
    List<TelemetryCsv.Scrape> inside = new ArrayList<>();
    for (TelemetryCsv.Scrape s : span) {
      if (s.event().equals("tick") && s.epochMs() >= startMs && s.epochMs() <= endMs) {
        inside.add(s);
      }
    }
    // Gauges need MIN_TICKS ticks inside the level: the edges see the server idle before and after
    // it, and one or two ticks of a short level land on its ramp-up or its last ms (the server drops
    // a request when it samples its last token, a little before the client has read it). Left out,
    // not reported as 0 or as the mean of two transients.
    if (inside.size() < MIN_TICKS) {
      inside = List.of();
    }
    boolean[] restarted = {false};
    Function<String, Double> delta = series -> delta(span, series, restarted);
    Double hits = delta.apply(ServerSeries.PREFIX_HITS);
    Double queries = delta.apply(ServerSeries.PREFIX_QUERIES);
    Double hitRate = hits != null && queries != null && queries > 0 ? Double.valueOf(hits / queries)
        : mean(inside, ServerSeries.PREFIX_HIT_RATE);
    Double kv = max(inside, ServerSeries.KV_CACHE_USAGE);
    // vLLM (FIELD_NOTES §20): acceptance rate = Δaccepted / Δdraft tokens; mean acceptance length =
    // 1 + Δaccepted / Δdrafts (the bonus token); SGLang publishes both as gauges
    Double drafts = delta.apply(ServerSeries.SPEC_DRAFTS);
    Double draftTokens = delta.apply(ServerSeries.SPEC_DRAFT_TOKENS);
    Double accepted = delta.apply(ServerSeries.SPEC_ACCEPTED);
    Double acceptRate = accepted != null && draftTokens != null && draftTokens > 0 ? Double.valueOf(accepted / draftTokens)
        : mean(inside, ServerSeries.SPEC_ACCEPT_RATE);
    Double acceptLength = accepted != null && drafts != null && drafts > 0 ? Double.valueOf(1 + accepted / drafts)
        : mean(inside, ServerSeries.SPEC_ACCEPT_LENGTH);
    return new LevelTelemetry(engine, span.size(),
        mean(inside, ServerSeries.RUNNING), max(inside, ServerSeries.RUNNING),
        mean(inside, ServerSeries.WAITING), max(inside, ServerSeries.WAITING),
        kv == null ? null : kv * 100, delta.apply(ServerSeries.PREEMPTIONS), hitRate,
        meanMs(delta, ServerSeries.TTFT), meanMs(delta, ServerSeries.ITL), meanMs(delta, ServerSeries.QUEUE),
        meanMs(delta, ServerSeries.E2EL), delta.apply(ServerSeries.REQUESTS_FINISHED), acceptRate, acceptLength,
        drafts, restarted[0]);
  }

  /** The keys this adds to a level's result JSON (vLLM's keys are untouched); nulls left out. */
  public Map<String, Object> toMetadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("server_metrics_engine", engine);
    m.put("server_metrics_scrapes", scrapes);
    put(m, "server_running_mean", runningMean);
    put(m, "server_running_max", runningMax);
    put(m, "server_waiting_mean", waitingMean);
    put(m, "server_waiting_max", waitingMax);
    put(m, "server_kv_cache_usage_max_pct", kvCacheUsageMaxPct);
    put(m, "server_preemptions", preemptions);
    put(m, "server_prefix_cache_hit_rate", prefixCacheHitRate);
    put(m, "server_mean_ttft_ms", meanTtftMs);
    put(m, "server_mean_itl_ms", meanItlMs);
    put(m, "server_mean_queue_ms", meanQueueMs);
    put(m, "server_mean_e2el_ms", meanE2elMs);
    put(m, "server_requests_finished", requestsFinished);
    put(m, "server_spec_acceptance_rate", specAcceptanceRate);
    put(m, "server_spec_mean_acceptance_length", specMeanAcceptanceLength);
    put(m, "server_spec_drafts", specDrafts);
    m.put("server_restarted", restarted);
    return m;
  }

  /** One console line beside vLLM's block; {@code ourTtftMs} is the client's mean TTFT. */
  public String consoleLine(double ourTtftMs) {
    StringBuilder b = new StringBuilder("server (" + engine + " /metrics):");
    if (runningMax == null) {
      b.append(" (no gauges: the level was shorter than " + MIN_TICKS + " scrape intervals),");
    } else {
      b.append(f(" running mean %.1f max %.0f,", runningMean, runningMax));
    }
    if (waitingMax != null) {
      b.append(f(" waiting max %.0f,", waitingMax));
    }
    if (kvCacheUsageMaxPct != null) {
      b.append(f(" KV cache max %.1f %%,", kvCacheUsageMaxPct));
    }
    if (preemptions != null) {
      b.append(f(" preemptions %.0f,", preemptions));
    }
    if (prefixCacheHitRate != null) {
      b.append(f(" prefix-cache hits %.1f %%,", prefixCacheHitRate * 100));
    }
    if (meanTtftMs != null) {
      b.append(f(" mean TTFT %.1f ms (client %.1f ms),", meanTtftMs, ourTtftMs));
    }
    if (meanItlMs != null) {
      b.append(f(" mean ITL %.2f ms,", meanItlMs));
    }
    if (meanQueueMs != null) {
      b.append(f(" mean queue %.1f ms,", meanQueueMs));
    }
    if (specAcceptanceRate != null) {
      b.append(f(" speculative acceptance %.1f %%", specAcceptanceRate * 100));
      b.append(specMeanAcceptanceLength == null ? "," : f(" (mean acceptance length %.2f),", specMeanAcceptanceLength));
    }
    if (restarted) {
      b.append(" THE SERVER RESTARTED (a counter dropped),");
    }
    return b.substring(0, b.length() - 1);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static void put(Map<String, Object> m, String key, Double v) {
    if (v != null) {
      m.put(key, v);
    }
  }

  private static Double meanMs(Function<String, Double> delta, String histogram) {
    Double sum = delta.apply(histogram + "_sum");
    Double count = delta.apply(histogram + "_count");
    return sum == null || count == null || count <= 0 ? null : sum / count * 1000;
  }

  /** Increase over the span, counting from zero after a drop (a restart). */
  private static Double delta(List<TelemetryCsv.Scrape> span, String series, boolean[] restarted) {
    Double prev = null;
    double total = 0;
    boolean seen = false;
    for (TelemetryCsv.Scrape s : span) {
      Double v = s.get(series);
      if (v == null) {
        continue;
      }
      if (prev != null) {
        if (v < prev) {
          restarted[0] = true;
          total += v;
        } else {
          total += v - prev;
        }
        seen = true;
      }
      prev = v;
    }
    return seen ? total : null;
  }

  private static Double mean(List<TelemetryCsv.Scrape> scrapes, String series) {
    double sum = 0;
    int n = 0;
    for (TelemetryCsv.Scrape s : scrapes) {
      Double v = s.get(series);
      if (v != null) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }

  private static Double max(List<TelemetryCsv.Scrape> scrapes, String series) {
    Double m = null;
    for (TelemetryCsv.Scrape s : scrapes) {
      Double v = s.get(series);
      if (v != null && (m == null || v > m)) {
        m = v;
      }
    }
    return m;
  }
}
