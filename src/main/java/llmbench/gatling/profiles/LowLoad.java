package llmbench.gatling.profiles;

import llmbench.gatling.LlmSimulation;
import llmbench.workload.Profile;

/** The seed's low profile, as the scripts run it (its run folders: {@code lowload-...}). */
public final class LowLoad extends LlmSimulation {
  public LowLoad() {
    super(Profile.LOW);
  }
}
