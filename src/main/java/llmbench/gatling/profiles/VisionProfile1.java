package llmbench.gatling.profiles;

import llmbench.gatling.LlmSimulation;
import llmbench.workload.Profile;

/** Vision profile 1, as the scripts run it (its run folders: {@code visionprofile1-...}). */
public final class VisionProfile1 extends LlmSimulation {
  public VisionProfile1() {
    super(Profile.VISION1);
  }
}
