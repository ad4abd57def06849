package llmbench.gatling;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import llmbench.config.LlmProperties;
import llmbench.config.RunConfig;
import llmbench.config.ClientConfig;
import llmbench.gatling.llm.LlmClient;
import llmbench.gatling.llm.LlmSettings;
import llmbench.gatling.llm.StreamWatch;
import llmbench.report.LiveProgress;
import llmbench.run.ProfileJob;
import llmbench.run.ProfileOutcome;
import llmbench.run.ProfileRun;
import llmbench.server.ServerClient;
import llmbench.workload.LevelPlan;
import llmbench.workload.Planner;
import llmbench.workload.Profile;
import llmbench.workload.ProfileSettings;
import llmbench.workload.RunPlan;
import llmbench.workload.Workload;

/**
 * A profile as one Gatling simulation: a warm-up, then every level in turn, closed model (N users,
 * each sending its share of the level's prompts back to back) or request rates; each level drains
 * before the next starts. Its job comes from {@link GatlingLauncher} (the scripts) or, under
 * {@code mvn gatling:test}, from {@code -Dllm.*}; how it ended goes back to the launcher as a value.
 */
public abstract class LlmSimulation extends Simulation {
  private static final String INDEX = "llmbench.userIndex";
  private final ProfileRun run;
  /** Run by the launcher, which takes the outcome; else (mvn gatling:test) a mistake fails the run here. */
  private final boolean launched;
  private final long builtAtEpochMs = System.currentTimeMillis();
  private LlmClient client;

  /** The seed's profile (the launcher's job names the profile when there is one). */
  protected LlmSimulation(Profile profile) {
    this(config -> new Workload.Entry(profile, ProfileSettings.NONE), profile.vision());
  }

  /** A workload file's profile: the file and the profile the run names (default: its first). */
  protected LlmSimulation() {
    this(config -> {
      if (config.selection().workloadFile() == null) {
        throw new IllegalArgumentException(LlmProperties.named("WorkloadLoad needs --workload FILE (a YAML or JSON workload file)"));
      }
      return config.selection().entries().get(0);
    }, false);
  }

  private LlmSimulation(Function<RunConfig, Workload.Entry> entryOf, boolean vision) {
    ProfileJob job = HandOver.take();
    this.launched = job != null;
    ProfileRun r = null;
    String notRun = null;
    try {
      if (job == null) {
        RunConfig config = LlmProperties.fromSystemProperties(vision);
        job = new ProfileJob(config, entryOf.apply(config), null, started -> { });
      }
      r = new ProfileRun(job, getClass().getName());
    } catch (Planner.PlanError | ServerClient.ServerError | IllegalArgumentException e) {
      notRun = e.getMessage(); // a user's mistake or an unusable server: one line, no stack trace
    }
    this.run = r;
    if (notRun != null) {
      System.err.println("error: " + notRun);
      if (!launched) {
        throw NotRun.toGatlingsLauncher(notRun); // mvn gatling:test: Gatling ends, status 1
      }
      HandOver.report(new ProfileOutcome.NotRun(notRun));
      setUp(scenario("not run").exec(s -> s).injectOpen(atOnceUsers(1)));
      return;
    }
    if (run.plan.skipped()) {
      System.out.println("skipped: " + run.plan.skippedReason());
      report(new ProfileOutcome.Skipped(run.plan.skippedReason()));
      setUp(scenario("skipped: " + run.plan.skippedReason()).exec(s -> s).injectOpen(atOnceUsers(1)));
      return;
    }
    ClientConfig c = run.config.client();
    LlmSettings settings = LlmSettings.of(run.plan.baseUrl(), run.config.server().apiKey(), c.keepAlive(),
        c.timeoutSeconds() * 1000L).withTimeouts(c.headersTimeoutSeconds() * 1000L, c.chunkTimeoutSeconds() * 1000L);
    this.client = new LlmClient(settings, watch(run.progress()));
    RequestChain chain = new RequestChain(client, run.plan.path(), run.plan.profile(), run.sink, run.runTag);
    run.plan.warmup().prepare();
    setUp(levels(chain).injectOpen(atOnceUsers(widest(run.plan))));
  }

  /** The live line learns of each chunk and of each request waiting for its response headers. */
  private static StreamWatch watch(LiveProgress progress) {
    return progress == null ? StreamWatch.NONE : new StreamWatch() {
      @Override
      public void waiting(int delta) {
        progress.waiting(delta);
      }

      @Override
      public void chunk() {
        progress.chunk();
      }
    };
  }

  private void report(ProfileOutcome outcome) {
    if (launched) {
      HandOver.report(outcome);
    }
  }

  /**
   * The warm-ups, then the levels in order, as one population of as many users as the widest level.
   * In a level of N, users 0..N-1 send its requests; the others go straight to the rendez-vous that
   * closes the level, where all wait until its last request is done. One population, not one per
   * level chained with {@code andThen}: Gatling starts a chained population only on its injector's
   * next 1 s tick, which left up to a second idle between levels (FIELD_NOTES: Gatling gotchas).
   */
  private ScenarioBuilder levels(RequestChain chain) {
    int users = widest(run.plan);
    AtomicInteger nextIndex = new AtomicInteger();
    ScenarioBuilder s = scenario(run.plan.profile())
        .exec(session -> {
          run.diagnosis.watch(session.asScala().eventLoop()); // the self-check probes every user's loop
          return session.set(INDEX, nextIndex.getAndIncrement());
        });
    // the server's warm-up (the client's own ran before this simulation: see before())
    LevelPlan warmup = run.plan.warmup();
    int warmupUsers = run.config.shards().shard().first() ? warmup.concurrency() : 0; // shard 0 warms the server alone
    s = s.doIf(session -> session.getInt(INDEX) < warmupUsers).then(chain.level(warmup))
        .rendezVous(users);
    LevelPlan previous = warmup;
    boolean sharded = !run.config.shards().shard().whole();
    for (LevelPlan level : run.plan.levels()) {
      LevelPlan before = previous;
      // user 0 prepares even a level where this shard has no users: it meets the other shards there
      s = s.doIf(session -> session.getInt(INDEX) < Math.max(1, level.concurrency())).then(exec(session -> {
        prepareOnce(before, level);
        return session;
      }));
      if (run.config.client().keepAlive()) {
        // Each user of the level gets a fresh connection before the level starts, so that no TTFT
        // includes a TCP handshake; servers close idle connections after a few seconds (uvicorn: 5 s),
        // and a level's prompts may take longer than that to build. Nothing is sent on it.
        s = s.doIf(session -> session.getInt(INDEX) < level.concurrency()).then(exec(client.freshConnection()));
      }
      s = s.rendezVous(users);
      if (sharded) {
        // Every shard is ready (its prompts built, its connections open): now the start. A short
        // meeting of its own, so that a long wait for the slowest shard (the "ready" one) delays
        // nothing between the start set here and the users' first requests.
        s = s.exec(session -> {
          level.startOnce(() -> run.barrier.arrive(barrierName(level, "start")));
          return session;
        }).rendezVous(users);
      }
      // the self-check's and live line's start come before the wait for the shards' common start
      s = s.exec(session -> {
        if (level.beginDiagnosis(run.diagnosis)) {
          run.levelStarted(level);
        }
        return session;
      });
      // each user to its own event loop (a rendez-vous released them all on one thread); on a sharded
      // sweep, also until the shards' common start
      s = s.exec(pause(session -> untilStart(level)));
      s = s.doIf(session -> session.getInt(INDEX) < level.concurrency()).then(chain.level(level))
          .rendezVous(users)
          .exec(session -> {
            if (level.endDiagnosis(run.diagnosis)) {
              run.levelEnded();
              run.barrier.arrive(barrierName(level, "end")); // every shard's requests are done before the scrape
              run.scraper.scrapeNow(level.label(), "end"); // after the level's last response, before the next level
            }
            return session;
          });
      if (sharded) {
        s = s.rendezVous(users); // no user goes on to the next level before the shards met at this one's end
      }
      previous = level;
    }
    return s;
  }

  private static int widest(RunPlan plan) {
    List<LevelPlan> all = new ArrayList<>(plan.levels());
    all.add(plan.warmup());
    return all.stream().mapToInt(LevelPlan::concurrency).max().orElse(1);
  }

  /**
   * The first user of a level builds its prompts and images (the others wait for it) before any
   * request is sent: nothing is built while the level is timed, and the previous level's bodies are
   * dropped first; the previous level's block goes to the console (the scripts'). Then it scrapes
   * the server's metrics: no request is in flight until the level starts, so the server's counters
   * at the level's start are exactly these.
   */
  private void prepareOnce(LevelPlan previous, LevelPlan level) {
    synchronized (level) {
      if (level.buildMs() >= 0) {
        return;
      }
      if (previous != null) {
        previous.release();
        run.showBlock(previous);
      }
      level.prepare();
      System.out.println("prepared " + level.numPrompts() + (level.numPrompts() == 1 ? " request" : " requests")
          + " for " + level.label() + " in " + level.buildMs() + " ms");
      run.scraper.scrapeNow(level.label(), "start");
      run.barrier.arrive(barrierName(level, "ready")); // every shard has built its prompts (long waits go here)
    }
  }

  private String barrierName(LevelPlan level, String event) {
    return run.plan.profile() + " " + level.label() + " " + event;
  }

  /** Until the shards' common start of the level (rounded up to Gatling's milliseconds); zero on one machine. */
  private static Duration untilStart(LevelPlan level) {
    long wait = level.startAtNs() == 0 ? 0 : level.startAtNs() - System.nanoTime();
    return wait <= 0 ? Duration.ZERO : Duration.ofMillis((wait + 999_999) / 1_000_000);
  }

  /** The client's JIT warm-up, before the first simulation of this JVM, outside this one's stats. */
  @Override
  public void before() {
    if (run != null && !run.plan.skipped()) {
      ClientWarmUp.runIfFirst(run.config.client().warmUp(), widest(run.plan));
    }
  }

  @Override
  public void after() {
    if (client != null) {
      client.close();
    }
    if (run == null) {
      return;
    }
    if (run.plan.skipped()) {
      run.stop();
      return;
    }
    try {
      Path results = run.config.output().gatlingResults();
      Path dir = GatlingRunFolder.find(results, getClass(), builtAtEpochMs).orElse(null);
      if (dir == null) {
        System.out.println("cannot find this run's folder under " + results + ": its results go to "
            + results.resolve("interrupted-" + run.runTag));
        report(new ProfileOutcome.Completed(run.interrupted()));
        return;
      }
      report(new ProfileOutcome.Completed(run.finish(dir)));
    } catch (IOException | RuntimeException e) {
      System.err.println("error: the results of " + run.plan.profile() + " could not be written: " + e);
      report(new ProfileOutcome.Failed("its results could not be written: " + e.getMessage()));
      run.stop();
    }
  }
}
