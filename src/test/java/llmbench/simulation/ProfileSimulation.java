package llmbench.simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

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
import llmbench.telemetry.MetricsScraper;
import llmbench.workload.BenchSettings;
import llmbench.workload.LevelPlan;
import llmbench.workload.Planner;
import llmbench.workload.Profile;
import llmbench.workload.RunPlan;
import llmbench.workload.Workload;

/**
 * A seed profile as one Gatling simulation: a warm-up, then every concurrency level in turn, closed
 * model (N users, each sending its share of the level's prompts back to back); each level drains
 * before the next starts.
 */
public abstract class ProfileSimulation extends Simulation {
  private static final String INDEX = "llmbench.userIndex";
  private final LlmRun run;

  protected ProfileSimulation(Profile profile) {
    this(() -> new Workload.Entry(profile, java.util.Map.of()));
  }

  /** A workload file's profile: its settings over the run's {@code -Dllm.*} ones. */
  protected ProfileSimulation(java.util.function.Supplier<Workload.Entry> entry) {
    LlmRun r = null;
    try {
      Workload.Entry e = entry.get();
      r = new LlmRun(getClass(), e.profile(), BenchSettings.fromSystemProperties(e.settings()));
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
    HttpProtocolBuilder protocol = SseChain.protocol(run.plan.baseUrl());
    SseChain chain = new SseChain(run.plan.path(), run.plan.profile(), run.sink, run.runTag, run.settings.apiKey(),
        run.settings.keepAlive(), run.chunkCounter());
    Duration timeout = Duration.ofSeconds(run.settings.timeoutSeconds());
    run.plan.warmup().prepare();
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
    // the server's warm-up (the client's own ran before this simulation: see before())
    LevelPlan warmup = run.plan.warmup();
    s = s.doIf(session -> session.getInt(INDEX) < warmup.concurrency()).then(chain.level(warmup, timeout))
        .rendezVous(users);
    LevelPlan previous = warmup;
    for (LevelPlan level : run.plan.levels()) {
      LevelPlan before = previous;
      s = s.doIf(session -> session.getInt(INDEX) < level.concurrency()).then(exec(session -> {
        prepareOnce(before, level, run);
        return session;
      }));
      if (run.settings.keepAlive()) {
        // Each user of the level opens (or refreshes) its connection before the level starts, so that
        // no TTFT includes a TCP handshake; servers close idle connections after a few seconds
        // (uvicorn: 5 s), and a level's prompts may take longer than that to build.
        s = s.doIf(session -> session.getInt(INDEX) < level.concurrency()).then(SseChain.openConnection("/health"));
      }
      s = s.rendezVous(users)
          .exec(session -> {
            if (level.beginDiagnosis(run.diagnosis)) {
              run.levelStarted(level);
            }
            return session;
          })
          .doIf(session -> session.getInt(INDEX) < level.concurrency()).then(chain.level(level, timeout))
          .rendezVous(users)
          .exec(session -> {
            if (level.endDiagnosis(run.diagnosis)) {
              run.levelEnded();
              run.scraper.scrapeNow(level.label(), "end"); // after the level's last response, before the next level
            }
            return session;
          });
      previous = level;
    }
    return s;
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
   * dropped first; the previous level's block goes to the console (run_test.sh's). Then it scrapes
   * the server's metrics: no request is in flight until the level starts, so the server's counters
   * at the level's start are exactly these.
   */
  private static void prepareOnce(LevelPlan previous, LevelPlan level, LlmRun run) {
    MetricsScraper scraper = run.scraper;
    synchronized (level) {
      if (level.buildMs() >= 0) {
        return;
      }
      if (previous != null) {
        previous.release();
        run.showBlock(previous);
      }
      level.prepare();
      System.out.println("prepared " + level.numPrompts() + (level.numPrompts() == 1 ? " request" : " requests") + " for " + level.label() + " in "
          + level.buildMs() + " ms");
      scraper.scrapeNow(level.label(), "start");
    }
  }

  /** The client's JIT warm-up, before the first simulation of this JVM, outside this one's stats. */
  @Override
  public void before() {
    if (run != null && !run.plan.skipped()) {
      ClientWarmUp.runIfFirst(run.settings.clientWarmup(), widest(run.plan));
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
