package llmbench.simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    // warm-up, then the levels one after the other. Gatling starts a chained population on its
    // injector's next 1 s tick: one population per level (not one more to build its bodies) keeps
    // that gap to one tick per level.
    run.plan.warmup().prepare();
    List<PopulationBuilder> steps = new ArrayList<>();
    steps.add(populate(chain, null, run.plan.warmup(), timeout));
    LevelPlan previous = run.plan.warmup();
    for (LevelPlan level : run.plan.levels()) {
      steps.add(populate(chain, previous, level, timeout));
      previous = level;
    }
    PopulationBuilder chained = steps.get(steps.size() - 1);
    for (int i = steps.size() - 2; i >= 0; i--) {
      chained = steps.get(i).andThen(chained);
    }
    setUp(chained).protocols(protocol);
  }

  /**
   * A level's N users. The first of them builds the level's prompts and images (the others wait for
   * it) before any request is sent: nothing is built while the level is timed, and the previous
   * level's bodies are dropped first.
   */
  private static PopulationBuilder populate(SseChain chain, LevelPlan previous, LevelPlan level, Duration timeout) {
    return scenario(level.label())
        .exec(session -> {
          prepareOnce(previous, level);
          return session;
        })
        .exec(chain.level(level, timeout))
        .injectOpen(atOnceUsers(level.concurrency()));
  }

  private static void prepareOnce(LevelPlan previous, LevelPlan level) {
    synchronized (level) {
      if (level.buildMs() >= 0) {
        return;
      }
      if (previous != null) {
        previous.release();
      }
      level.prepare();
      System.out.println("prepared " + level.numPrompts() + " requests for " + level.label() + " in "
          + level.buildMs() + " ms");
    }
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
