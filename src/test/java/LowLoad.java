import llmbench.simulation.ProfileSimulation;
import llmbench.workload.Profile;

/** The seed's low profile; run with {@code ./mvnw gatling:test -Dgatling.simulationClass=LowLoad}. */
public class LowLoad extends ProfileSimulation {
  public LowLoad() {
    super(Profile.LOW);
  }
}
