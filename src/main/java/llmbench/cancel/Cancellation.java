package llmbench.cancel;

import java.time.Duration;
import java.util.Locale;

/**
 * Streams the client closes early on purpose, as users who leave do (AIPerf's
 * {@code --request-cancellation-rate}): a share of the requests, spread evenly over them (the k-th is
 * cancelled when {@code floor(k * rate)} steps up, so that a quarter is exactly every fourth), each
 * after so many tokens (chunks with text) or so long after it was sent. The server sees the connection
 * close and aborts the request.
 *
 * @param rate the share of requests cancelled, 0 for none
 * @param afterTokens cancel after this many chunks of the answer; 0 when a time is given instead
 * @param after cancel this long after the request was sent; null when a token count is given
 */
public record Cancellation(double rate, int afterTokens, Duration after) {
  public static final Cancellation NONE = new Cancellation(0, 0, null);

  public Cancellation {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("--cancel-rate must be within 0..1 (or 0%..100%), not " + rate);
    }
    if (afterTokens < 0) {
      throw new IllegalArgumentException("--cancel-after-tokens must be 1 or more, not " + afterTokens);
    }
    if (rate > 0 && (afterTokens > 0) == (after != null)) {
      throw new IllegalArgumentException(afterTokens > 0 ? "--cancel-after-tokens and --cancel-after: give one"
          : "--cancel-rate needs when to cancel: give --cancel-after-tokens N or --cancel-after DURATION (e.g. 500ms)");
    }
    if (after != null && (after.isNegative() || after.isZero())) {
      throw new IllegalArgumentException("--cancel-after must be a positive duration, not " + after);
    }
  }

  public boolean any() {
    return rate > 0;
  }

  /** Whether the {@code k}-th measured request (from 1) is one to cancel. */
  public boolean picks(long k) {
    return rate > 0 && k > 0 && Math.floor(k * rate) > Math.floor((k - 1) * rate);
  }

  /** For the results and engine_params.txt. */
  public String describe() {
    return String.format(Locale.ROOT, "%.4g of the requests, after %s", rate,
        after != null ? after.toMillis() + " ms" : afterTokens + " tokens");
  }
}
