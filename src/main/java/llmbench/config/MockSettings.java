package llmbench.config;

import llmbench.mock.MockConfig;

/** The built-in mock of a {@code --mock} run: what its {@code --mock-*} options change; the rest is the mock's default. */
public record MockSettings(double timeScale, int maxModelLen, int maxNumSeqs) {
  private static final MockConfig.Builder DEFAULTS = MockConfig.builder();
  public static final MockSettings DEFAULT = new MockSettings(DEFAULTS.timeScale, DEFAULTS.maxModelLen,
      DEFAULTS.maxNumSeqs);

  public MockSettings {
    MockConfig.builder().timeScale(timeScale).maxModelLen(maxModelLen).maxNumSeqs(maxNumSeqs).build(); // its checks
  }

  /** The mock's configuration on any free loopback port. */
  public MockConfig.Builder builder() {
    return MockConfig.builder().port(0).timeScale(timeScale).maxModelLen(maxModelLen).maxNumSeqs(maxNumSeqs);
  }
}
