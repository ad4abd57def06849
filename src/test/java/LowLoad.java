import llmbench.gatling.LlmSimulation;
import llmbench.workload.Profile;

/** The seed's low profile; run with {@code ./mvnw gatling:test -Dgatling.simulationClass=LowLoad}. */
public class LowLoad extends LlmSimulation {
  public LowLoad() {
    super(Profile.LOW);
  }
}
