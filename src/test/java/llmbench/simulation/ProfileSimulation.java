package llmbench.simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import llmbench.server.ServerClient;
import llmbench.workload.BenchSettings;
import llmbench.workload.LevelPlan;
import llmbench.workload.Planner;
import llmbench.workload.Profile;

/**
 * A seed profile as one Gatling simulation: a warm-up, then every concurrency level as its own
 * closed scenario (N users, each sending its share of the level's prompts back to back), chained
 * so that each level drains before the next starts.
 */
public abstract class ProfileSimulation extends Simulation {
  private final LlmRun run;

  protected ProfileSimulation(Profile profile) {
    LlmRun r = null;
    try {
      r = new LlmRun(getClass(), profile, BenchSettings.fromSystemProperties());
    } catch (Planner.PlanError | ServerClient.ServerError | IllegalArgumentException e) {
      // A user's mistake or an unreachable server: one line, no stack trace.
      System.err.println("error: " + e.getMessage());
      if (!Boolean.parseBoolean(System.getProperty("llm.exitOnError", "true"))) {
        System.setProperty("llm.lastError", e.getMessage()); // read by run_test.sh's sweep
        this.run = null;
        setUp(scenario("not run: " + e.getMessage()).exec(s -> s).injectOpen(atOnceUsers(1)));
        return;
      }
      System.exit(2);
    }
    this.run = r;
    if (run.plan.skipped()) {
      System.out.println("skipped: " + run.plan.skippedReason());
      setUp(scenario("skipped: " + run.plan.skippedReason()).exec(s -> s).injectOpen(atOnceUsers(1)));
      return;
    }
    HttpProtocolBuilder protocol = http.baseUrl(run.plan.baseUrl())
        .disableWarmUp()
        .disableCaching()
        .disableFollowRedirect()
        .userAgentHeader("gatling-llm-bench");
    if (run.settings.apiKey() != null && !run.settings.apiKey().isEmpty()) {
      protocol = protocol.authorizationHeader("Bearer " + run.settings.apiKey());
    }
    SseChain chain = new SseChain(run.plan.path(), run.plan.profile(), run.sink, run.runTag);
    Duration timeout = Duration.ofSeconds(run.settings.timeoutSeconds());
    // Built from the last level backwards: warm-up, then level 1, then level 2...
    PopulationBuilder tail = null;
    for (int i = run.plan.levels().size() - 1; i >= 0; i--) {
      PopulationBuilder p = populate(chain, run.plan.levels().get(i), timeout);
      tail = tail == null ? p : p.andThen(tail);
    }
    PopulationBuilder warmup = populate(chain, run.plan.warmup(), timeout);
    setUp(tail == null ? warmup : warmup.andThen(tail)).protocols(protocol);
  }

  private static PopulationBuilder populate(SseChain chain, LevelPlan level, Duration timeout) {
    return scenario(level.label()).exec(chain.level(level, timeout)).injectOpen(atOnceUsers(level.concurrency()));
  }

  @Override
  public void after() {
    if (run != null && !run.plan.skipped()) {
      run.finish();
    } else if (run != null) {
      run.stopMock();
    }
  }
}
