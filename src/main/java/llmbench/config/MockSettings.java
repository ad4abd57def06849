package llmbench.config;

import llmbench.mock.Faults;
import llmbench.mock.MockConfig;

/**
 * The built-in mock of a {@code --mock} run: what its {@code --mock-*} options change; the rest is the mock's default.
 *
 * @param runDrift each run's (each repeat's) step-time factor within 1 ± this; 0: none
 * @param faults the random faults it injects ({@code --mock-fault-rate})
 * @param seed the mock's seed (its drift factors, jitter, faults): another seed plays another day of the same server
 */
public record MockSettings(double timeScale, int maxModelLen, int maxNumSeqs, double runDrift, long seed, Faults faults) {
  private static final MockConfig.Builder DEFAULTS = MockConfig.builder();
  public static final MockSettings DEFAULT = new MockSettings(DEFAULTS.timeScale, DEFAULTS.maxModelLen,
      DEFAULTS.maxNumSeqs, DEFAULTS.runDrift, DEFAULTS.seed, DEFAULTS.faults);

  public MockSettings {
    MockConfig.builder().timeScale(timeScale).maxModelLen(maxModelLen).maxNumSeqs(maxNumSeqs).runDrift(runDrift)
        .build(); // its checks (the fields are not set yet inside this constructor)
  }

  /** The mock's configuration on any free loopback port. */
  public MockConfig.Builder builder() {
    return MockConfig.builder().port(0).timeScale(timeScale).maxModelLen(maxModelLen).maxNumSeqs(maxNumSeqs)
        .runDrift(runDrift).seed(seed).faults(faults);
  }
}
