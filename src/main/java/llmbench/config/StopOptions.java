package llmbench.config;

import llmbench.stop.StopRules;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/** What may end a level or a profile's climb early, a mixin of {@link RunOptions}: the {@link StopRules}. */
public final class StopOptions {
  @Option(names = "--max-error-rate", paramLabel = "X", description = "End a level once more than this share of its "
      + "answered requests failed, e.g. 0.2 or 20%% (judged from --error-min-requests on), and skip the profile's "
      + "higher levels, saying why (default: never).")
  String maxErrorRate;
  @Option(names = "--error-min-requests", paramLabel = "N", description = "With --max-error-rate: answered requests "
      + "before the error rate is judged (default: " + StopRules.DEFAULT_MIN_REQUESTS + ").")
  Integer errorMinRequests;
  @Option(names = "--max-duration", paramLabel = "D", description = "A level sends no request after this long, e.g. "
      + "90, 90s, 5m (what is in flight finishes; default: no bound).")
  String maxDuration;
  @Option(names = "--stop-on-saturation", description = "End the climb of levels at the first over-saturated one "
      + "(requests queue at the server while throughput stays flat; every level's result says whether it was).")
  boolean onSaturation;

  StopRules toRules(ParseResult given) {
    if (errorMinRequests != null && maxErrorRate == null) {
      throw new IllegalArgumentException("--error-min-requests applies to --max-error-rate: give --max-error-rate X");
    }
    Double rate = null;
    if (maxErrorRate != null) {
      rate = llmbench.mock.MockOptions.share(maxErrorRate);
      if (!(rate > 0 && rate < 1)) {
        throw new IllegalArgumentException("--max-error-rate: '" + maxErrorRate + "' is not a share above 0 and below 1 "
            + "(e.g. 0.2 or 20%)");
      }
    }
    return new StopRules(rate, errorMinRequests == null ? StopRules.DEFAULT_MIN_REQUESTS : errorMinRequests,
        maxDuration == null ? null : StopRules.duration("--max-duration", maxDuration), onSaturation);
  }
}
