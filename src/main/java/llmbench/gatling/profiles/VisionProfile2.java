package llmbench.gatling.profiles;

import llmbench.gatling.LlmSimulation;
import llmbench.workload.Profile;

/** Vision profile 2, as the scripts run it (its run folders: {@code visionprofile2-...}). */
public final class VisionProfile2 extends LlmSimulation {
  public VisionProfile2() {
    super(Profile.VISION2);
  }
}
