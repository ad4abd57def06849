package llmbench.simulation;

import java.util.List;
import llmbench.workload.Profile;

/** A small profile for the integration test: lengths and levels come from {@code -Dllm.*}. */
public class SmokeLoad extends ProfileSimulation {
  public SmokeLoad() {
    super(new Profile("smoke", 200, 100, List.of(32), false));
  }
}
