package llmbench.gatling.profiles;

import llmbench.gatling.LlmSimulation;

/** A workload file's profile, as the scripts run it (its run folders: {@code workloadload-...}). */
public final class WorkloadLoad extends LlmSimulation {
  public WorkloadLoad() {
    super();
  }
}
