import llmbench.gatling.LlmSimulation;
import llmbench.workload.Profile;

/** The seed's high profile; run with {@code ./mvnw gatling:test -Dgatling.simulationClass=HighLoad}. */
public class HighLoad extends LlmSimulation {
  public HighLoad() {
    super(Profile.HIGH);
  }
}
