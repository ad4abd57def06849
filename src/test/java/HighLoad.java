import llmbench.simulation.ProfileSimulation;
import llmbench.workload.Profile;

/** The seed's high profile; run with {@code ./mvnw gatling:test -Dgatling.simulationClass=HighLoad}. */
public class HighLoad extends ProfileSimulation {
  public HighLoad() {
    super(Profile.HIGH);
  }
}
