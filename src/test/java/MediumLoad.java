import llmbench.simulation.ProfileSimulation;
import llmbench.workload.Profile;

/** The seed's medium profile; run with {@code ./mvnw gatling:test -Dgatling.simulationClass=MediumLoad}. */
public class MediumLoad extends ProfileSimulation {
  public MediumLoad() {
    super(Profile.MEDIUM);
  }
}
