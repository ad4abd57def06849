package llmbench.simulation;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import llmbench.server.ServerClient;
import llmbench.workload.BenchSettings;
import llmbench.workload.LevelPlan;
import llmbench.workload.Planner;
import llmbench.workload.Profile;
import llmbench.workload.RunPlan;

/**
 * A seed profile as one Gatling simulation: a warm-up, then every concurrency level in turn, closed
 * model (N users, each sending its share of the level's prompts back to back); each level drains
 * before the next starts.
 */
public abstract class ProfileSimulation extends Simulation {
  private static final String INDEX = "llmbench.userIndex";
  private static final String OPEN_CONNECTION = "open connection";
  private final LlmRun run;
  private final ClientWarmUp clientWarmUp;

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
        this.clientWarmUp = null;
        setUp(scenario("not run: " + e.getMessage()).exec(s -> s).injectOpen(atOnceUsers(1)));
        return;
      }
      System.exit(2);
    }
    this.run = r;
    if (run.plan.skipped()) {
      this.clientWarmUp = null;
      System.out.println("skipped: " + run.plan.skippedReason());
      setUp(scenario("skipped: " + run.plan.skippedReason()).exec(s -> s).injectOpen(atOnceUsers(1)));
      return;
    }
    HttpProtocolBuilder protocol = http.baseUrl(run.plan.baseUrl())
        .disableWarmUp()
        .disableCaching()
        .disableFollowRedirect()
        .userAgentHeader("gatling-llm-bench");
    SseChain chain = new SseChain(run.plan.path(), run.plan.profile(), run.sink, run.runTag, run.settings.apiKey(),
        run.settings.keepAlive());
    Duration timeout = Duration.ofSeconds(run.settings.timeoutSeconds());
    run.plan.warmup().prepare();
    this.clientWarmUp = ClientWarmUp.startIfFirst(run.settings.clientWarmup(), widest(run.plan));
    setUp(levels(chain, timeout).injectOpen(atOnceUsers(widest(run.plan)))).protocols(protocol);
  }

  /**
   * The warm-ups, then the levels in order, as one population of as many users as the widest level.
   * In a level of N, users 0..N-1 send its requests; the others go straight to the rendez-vous that
   * closes the level, where all wait until its last request is done. One population, not one per
   * level chained with {@code andThen}: Gatling starts a chained population only on its injector's
   * next 1 s tick, which left up to a second idle between levels (FIELD_NOTES: Gatling gotchas).
   */
  private ScenarioBuilder levels(SseChain chain, Duration timeout) {
    int users = widest(run.plan);
    AtomicInteger nextIndex = new AtomicInteger();
    ScenarioBuilder s = scenario(run.plan.profile())
        .exec(session -> {
          run.diagnosis.watch(session.asScala().eventLoop()); // the self-check probes every user's loop
          return session.set(INDEX, nextIndex.getAndIncrement());
        });
    // the server's warm-up, and beside it the client's own (JIT) warm-up against its in-process mocks
    LevelPlan warmup = run.plan.warmup();
    s = s.doIf(session -> session.getInt(INDEX) < warmup.concurrency()).then(chain.level(warmup, timeout));
    if (clientWarmUp != null) {
      ClientWarmUp warm = clientWarmUp;
      // every user streams until the JIT has compiled what the streams made hot: HotSpot compiles
      // only running code, so waiting idle for it would leave the work to the first levels
      s = s.doIfOrElse(session -> session.getInt(INDEX) % 2 == 0)
          .then(asLongAs(session -> warm.streaming()).on(warmUpOn(warm.target(0), warm, chain, timeout)))
          .orElse(asLongAs(session -> warm.streaming()).on(warmUpOn(warm.target(1), warm, chain, timeout)))
          .exec(session -> {
            warm.report();
            return session;
          });
    }
    s = s.rendezVous(users);
    if (clientWarmUp != null) {
      ClientWarmUp warm = clientWarmUp;
      s = s.exec(session -> {
        warm.closeInBackground(); // stopping its servers takes a while: never on an event loop
        return session;
      });
    }
    LevelPlan previous = warmup;
    for (LevelPlan level : run.plan.levels()) {
      LevelPlan before = previous;
      s = s.doIf(session -> session.getInt(INDEX) < level.concurrency()).then(exec(session -> {
        prepareOnce(before, level);
        return session;
      }));
      if (run.settings.keepAlive()) {
        // Each user of the level opens (or refreshes) its connection before the level starts, so that
        // no TTFT includes a TCP handshake; servers close idle connections after a few seconds
        // (uvicorn: 5 s), and a level's prompts may take longer than that to build.
        s = s.doIf(session -> session.getInt(INDEX) < level.concurrency()).then(openConnection("/health"));
      }
      s = s.rendezVous(users)
          .exec(session -> {
            level.beginDiagnosis(run.diagnosis);
            return session;
          })
          .doIf(session -> session.getInt(INDEX) < level.concurrency()).then(chain.level(level, timeout))
          .rendezVous(users)
          .exec(session -> {
            level.endDiagnosis(run.diagnosis);
            return session;
          });
      previous = level;
    }
    return s;
  }

  /** A user's share of the client warm-up: its connection opened as in a level, then its streams. */
  private ChainBuilder warmUpOn(ClientWarmUp.Target target, ClientWarmUp warm, SseChain chain, Duration timeout) {
    return openConnection(target.health()).exec(chain.level(target.plan(), timeout, target.url(), warm.sink()));
  }

  /**
   * One GET that leaves the user's connection in its pool. Its answer does not matter (a server
   * without /health answers 404 on an open connection all the same), so it never fails the user's
   * session, which would mark the user's next stream as failed.
   */
  private static ChainBuilder openConnection(String url) {
    return exec(http(OPEN_CONNECTION).get(url).silent()).exec(Session::markAsSucceeded);
  }

  private static List<LevelPlan> allLevels(RunPlan plan) {
    List<LevelPlan> all = new ArrayList<>();
    all.add(plan.warmup());
    all.addAll(plan.levels());
    return all;
  }

  private static int widest(RunPlan plan) {
    return allLevels(plan).stream().mapToInt(LevelPlan::concurrency).max().orElse(1);
  }

  /**
   * The first user of a level builds its prompts and images (the others wait for it) before any
   * request is sent: nothing is built while the level is timed, and the previous level's bodies are
   * dropped first.
   */
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
    if (clientWarmUp != null) {
      clientWarmUp.close();
    }
    if (run != null && !run.plan.skipped()) {
      run.finish();
    } else if (run != null) {
      run.stopMock();
    }
  }
}
