import llmbench.simulation.ProfileSimulation;
import llmbench.workload.Workload;

/**
 * One profile of a workload file, the generic simulation beside the seed's named ones:
 * {@code ./mvnw gatling:test -Dgatling.simulationClass=WorkloadLoad -Dllm.workload=FILE [-Dllm.profile=NAME]}
 * (the file's first profile when no name is given; run_test.sh --workload FILE runs each in turn).
 */
public class WorkloadLoad extends ProfileSimulation {
  public WorkloadLoad() {
    super(WorkloadLoad::selected);
  }

  private static Workload.Entry selected() {
    String file = System.getProperty("llm.workload");
    if (file == null || file.isBlank()) {
      throw new IllegalArgumentException("WorkloadLoad needs -Dllm.workload=FILE (a YAML or JSON workload file)");
    }
    Workload w = Workload.read(java.nio.file.Path.of(file));
    String name = System.getProperty("llm.profile");
    return name == null || name.isBlank() ? w.profiles().get(0) : w.named(name);
  }
}
