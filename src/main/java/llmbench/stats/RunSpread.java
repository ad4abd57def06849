package llmbench.stats;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * One metric's spread over repeated runs of one level: the runs' mean, their standard deviation
 * (n − 1), coefficient of variation, and the Student's t confidence interval of the mean (as AIPerf's
 * multi-run aggregates and vLLM's {@code bench sweep --num-runs} summaries report them). Each run is
 * one value: the spread is run-to-run, which a run's many requests cannot show.
 *
 * @param values the runs' values, run 1 first
 * @param cv standard deviation over mean (0 when the mean is 0)
 * @param halfWidth the interval's half-width; null with one run (no interval)
 */
@JsonIgnoreProperties(ignoreUnknown = true) // ci_low, ci_high and half_width_pct are written for readers, derived here
public record RunSpread(List<Double> values, double mean, double std, double cv, double confidence, Double halfWidth) {

  /** The confidence level of an interval when none is asked for ({@code --confidence-level}). */
  public static final double DEFAULT_CONFIDENCE = 0.95;

  /** The headline metrics spread per level (result keys, vLLM's names). */
  public static final List<String> METRICS = List.of("request_throughput", "output_throughput",
      "total_token_throughput", "mean_ttft_ms", "median_ttft_ms", "p99_ttft_ms", "mean_tpot_ms", "median_tpot_ms",
      "p99_tpot_ms", "mean_itl_ms", "median_itl_ms", "p99_itl_ms", "mean_e2el_ms", "median_e2el_ms", "p99_e2el_ms");

  public static RunSpread of(List<Double> values, double confidence) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no runs to spread");
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence level must be within 0..1, not " + confidence);
    }
    int n = values.size();
    double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    double std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    Double half = null;
    if (n > 1) {
      double t = new TDistribution(n - 1).inverseCumulativeProbability(0.5 + confidence / 2);
      half = t * std / Math.sqrt(n);
    }
    return new RunSpread(List.copyOf(values), mean, std, mean == 0 ? 0 : std / Math.abs(mean), confidence, half);
  }

  @JsonProperty("runs")
  public int runs() {
    return values.size();
  }

  @JsonProperty("ci_low")
  public Double ciLow() {
    return halfWidth == null ? null : mean - halfWidth;
  }

  @JsonProperty("ci_high")
  public Double ciHigh() {
    return halfWidth == null ? null : mean + halfWidth;
  }

  /** The half-width in percent of the mean; null without an interval or with a zero mean. */
  @JsonProperty("half_width_pct")
  public Double halfWidthPct() {
    return halfWidth == null || mean == 0 ? null : halfWidth / Math.abs(mean) * 100;
  }
}
