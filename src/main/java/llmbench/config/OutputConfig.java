package llmbench.config;

import java.nio.file.Path;
import java.util.List;
import llmbench.stats.Slo;

/**
 * Where the results go and what they hold.
 *
 * @param out the output folder (a vision run's {@code vision_WxH} included)
 * @param gatlingResults where Gatling writes its run folders
 * @param percentiles vLLM's {@code --metric-percentiles}
 * @param percentileMetrics vLLM's {@code --percentile-metrics}
 * @param goodput vLLM's {@code --goodput} limits; empty for none
 * @param metricsIntervalMs the server's /metrics scrape interval; 0 for none
 * @param liveLine a live console line per level and each level's block as it ends (the scripts'
 *     console); off under {@code mvn gatling:test}, whose console is Gatling's
 */
public record OutputConfig(Path out, Path gatlingResults, List<Double> percentiles, List<String> percentileMetrics,
    Slo goodput, int metricsIntervalMs, int gpuIntervalMs, String nvidiaSmi, boolean gatlingConsole, boolean liveLine) {

  public OutputConfig {
    percentiles = List.copyOf(percentiles);
    percentileMetrics = List.copyOf(percentileMetrics);
  }

  public OutputConfig withOut(Path dir) {
    return new OutputConfig(dir, gatlingResults, percentiles, percentileMetrics, goodput, metricsIntervalMs,
        gpuIntervalMs, nvidiaSmi, gatlingConsole, liveLine);
  }

  /** A capacity probe's: the percentiles its targets need, and goodput under the same limits. */
  public OutputConfig forProbe(Path dir, List<Double> morePercentiles, Slo probeGoodput) {
    List<Double> p = new java.util.ArrayList<>(percentiles);
    morePercentiles.stream().filter(q -> !p.contains(q)).forEach(p::add);
    return new OutputConfig(dir, gatlingResults, p, percentileMetrics, probeGoodput.isEmpty() ? goodput : probeGoodput,
        metricsIntervalMs, gpuIntervalMs, nvidiaSmi, gatlingConsole, liveLine);
  }

  /** vLLM's {@code --goodput} spelling of the limits, or null. */
  public String goodputSpec() {
    return goodput.limitsMs().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
        .reduce((a, b) -> a + "," + b).orElse(null);
  }
}
