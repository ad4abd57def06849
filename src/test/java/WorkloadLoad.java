import llmbench.gatling.LlmSimulation;

/**
 * One profile of a workload file, the generic simulation beside the seed's named ones:
 * {@code ./mvnw gatling:test -Dgatling.simulationClass=WorkloadLoad -Dllm.workload=FILE [-Dllm.profile=NAME]}
 * (the file's first profile when no name is given; run_test.sh --workload FILE runs each in turn).
 */
public class WorkloadLoad extends LlmSimulation {
  public WorkloadLoad() {
    super();
  }
}
