package llmbench.gatling.profiles;

import llmbench.gatling.LlmSimulation;
import llmbench.workload.Profile;

/** The seed's medium profile, as the scripts run it (its run folders: {@code mediumload-...}). */
public final class MediumLoad extends LlmSimulation {
  public MediumLoad() {
    super(Profile.MEDIUM);
  }
}
