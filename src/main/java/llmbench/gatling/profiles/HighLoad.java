package llmbench.gatling.profiles;

import llmbench.gatling.LlmSimulation;
import llmbench.workload.Profile;

/** The seed's high profile, as the scripts run it (its run folders: {@code highload-...}). */
public final class HighLoad extends LlmSimulation {
  public HighLoad() {
    super(Profile.HIGH);
  }
}
