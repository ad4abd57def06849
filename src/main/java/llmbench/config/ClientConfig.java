package llmbench.config;

/**
 * How the client sends.
 *
 * @param timeoutSeconds the longest a request may take
 * @param keepAlive each virtual user keeps its connection (else a new one per request)
 * @param warmUp stream from in-process servers until the JIT settles, before the first profile of the JVM
 */
public record ClientConfig(int timeoutSeconds, boolean keepAlive, boolean warmUp) {
  public ClientConfig {
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("--timeout must be >= 1 second, not " + timeoutSeconds);
    }
  }
}
