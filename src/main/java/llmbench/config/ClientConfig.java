package llmbench.config;

/**
 * How the client sends.
 *
 * @param timeoutSeconds the longest a request may take, start to the end of its answer
 * @param headersTimeoutSeconds the longest a request may wait for its response headers
 * @param chunkTimeoutSeconds the longest a stream may stay silent between two reads
 * @param keepAlive each virtual user keeps its connection (else a new one per request)
 * @param warmUp stream from in-process servers until the JIT settles, before the first profile of the JVM
 * @param cancel the streams the client closes early on purpose
 */
public record ClientConfig(int timeoutSeconds, int headersTimeoutSeconds, int chunkTimeoutSeconds, boolean keepAlive,
    boolean warmUp, llmbench.cancel.Cancellation cancel) {
  public ClientConfig {
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("--timeout must be >= 1 second, not " + timeoutSeconds);
    }
    check("--headers-timeout", headersTimeoutSeconds, timeoutSeconds);
    check("--chunk-timeout", chunkTimeoutSeconds, timeoutSeconds);
  }

  private static void check(String option, int seconds, int timeout) {
    if (seconds < 1 || seconds > timeout) {
      throw new IllegalArgumentException(option + " must be between 1 and --timeout (" + timeout + ") seconds, not "
          + seconds);
    }
  }
}
