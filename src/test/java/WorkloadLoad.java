import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import llmbench.gatling.sweep.LlmSweep;

/**
 * One profile of a workload file, its lengths and levels the file's:
 * {@code ./mvnw gatling:test -Dgatling.simulationClass=WorkloadLoad -Dllm.workload=FILE [-Dllm.profile=NAME]}
 * (the file's first profile when no name is given; run_test.sh --workload FILE runs each in turn).
 */
public class WorkloadLoad extends Simulation {
  LlmSweep profile = LlmSweep.workloadFile();

  ScenarioBuilder generate = scenario("workload")
      .feed(profile.requests())                                 // each level's requests, built before it starts
      .exec(llm("generate").post(profile::path).body(ByteArrayBody(profile::body)));

  {
    setUp(profile.levels(generate)).protocols(profile.protocol());
  }
}
