import llmbench.gatling.LlmSimulation;
import llmbench.workload.Profile;

/** The seed's medium profile; run with {@code ./mvnw gatling:test -Dgatling.simulationClass=MediumLoad}. */
public class MediumLoad extends LlmSimulation {
  public MediumLoad() {
    super(Profile.MEDIUM);
  }
}
