package llmbench.gatling.sweep;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import llmbench.gatling.llm.FreshConnection;
import llmbench.report.GatlingNames;
import llmbench.run.ProfileRun;
import llmbench.workload.LevelPlan;
import llmbench.workload.RunPlan;

/**
 * A profile's levels as Gatling populations, one after the other ({@code andThen}): the seed's
 * warm-up, then each level's users, each running the user's scenario in the level's group. Before a
 * level's users send anything, each has a fresh connection and all wait for the last (and, sharded, for
 * the other shards), its first user reads the server's metrics; the level starts when they all pass;
 * the last user out ends it (the self-check, the server's metrics, the shards' meeting) and builds the
 * next level's requests, so that nothing is
 * built while a level is timed. Gatling starts the next population on its next tick, within a second.
 */
final class Levels {
  static final String INDEX = "llmbench.userIndex";
  static final String LEVEL = "llmbench.level";
  static final String HISTORY = "llmbench.history";
  static final String TURN = "llmbench.turn";
  static final String SESSION = "llmbench.session";
  static final String ROUND = "llmbench.round";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProfileRun run;
  private final ChainBuilder user;
  private final String name;
  private final Map<String, LevelPlan> byLabel = new HashMap<>();
  private final AtomicLong sessions = new AtomicLong();
  private volatile LevelPlan current;

  Levels(ProfileRun run, ScenarioBuilder scenario) {
    this.run = run;
    this.name = scenario.wrapped.name();
    // the user's scenario, as a chain each level's population runs in its own group
    this.user = ChainBuilder.EMPTY.make(c -> new io.gatling.core.structure.ChainBuilder(scenario.wrapped.actionBuilders()));
    byLabel.put(run.plan.warmup().label(), run.plan.warmup());
    run.plan.levels().forEach(l -> byLabel.put(l.label(), l));
  }

  /** The users of the widest level (the client warm-up streams with as many). */
  static int widest(RunPlan plan) {
    int w = plan.warmup().concurrency();
    for (LevelPlan l : plan.levels()) {
      w = Math.max(w, l.concurrency());
    }
    return Math.max(1, w);
  }

  PopulationBuilder populations() {
    List<LevelPlan> levels = run.plan.levels();
    LevelPlan warmup = run.plan.warmup();
    warmup.prepare();
    List<PopulationBuilder> pops = new ArrayList<>();
    // the server's warm-up is shard 0's alone; the other shards' one user only builds the first level
    pops.add(population(warmup, true, run.config.shards().shard().first() ? warmup.concurrency() : 0,
        levels.isEmpty() ? null : levels.get(0)));
    for (int i = 0; i < levels.size(); i++) {
      pops.add(population(levels.get(i), false, levels.get(i).concurrency(), i + 1 < levels.size() ? levels.get(i + 1) : null));
    }
    PopulationBuilder chain = pops.get(pops.size() - 1);
    for (int i = pops.size() - 2; i >= 0; i--) {
      chain = pops.get(i).andThen(chain);
    }
    return chain;
  }

  /**
   * One level's population: {@code active} users send, at least one user comes (a shard with no
   * users in a level still meets the others there and builds the next level).
   */
  private PopulationBuilder population(LevelPlan level, boolean warmup, int active, LevelPlan next) {
    int users = Math.max(1, active);
    AtomicInteger index = new AtomicInteger();
    AtomicInteger left = new AtomicInteger(users);
    boolean sharded = !run.config.shards().shard().whole();
    ScenarioBuilder s = scenario(name + " " + level.label()).exec(session -> {
      run.diagnosis.watch(session.asScala().eventLoop()); // the self-check probes every user's loop
      current = level;
      return session.set(INDEX, index.getAndIncrement()).set(LEVEL, level.label());
    });
    ChainBuilder c = ChainBuilder.EMPTY;
    if (!warmup) {
      if (run.config.client().keepAlive()) {
        // a fresh connection for each user, so that no TTFT includes a TCP handshake; servers close
        // idle connections after a few seconds (uvicorn: 5 s). Nothing is sent on it.
        c = c.doIf(session -> session.getInt(INDEX) < active).then(exec(FreshConnection.action()));
      }
      // nothing is in flight until the level starts: the server's counters at its start are these
      c = c.doIf(session -> session.getInt(INDEX) == 0).then(exec(session -> {
        run.scraper.scrapeNow(level.label(), "start");
        return session;
      }));
      c = c.rendezVous(users);
      if (sharded) {
        // every shard is ready (its requests built, its connections open): now the common start
        c = c.exec(session -> {
          level.startOnce(() -> run.barrier.arrive(barrierName(level, "start")));
          return session;
        }).rendezVous(users);
      }
      c = c.exec(session -> {
        if (level.beginDiagnosis(run.diagnosis)) {
          run.climb.begin(level.label(), System.nanoTime()); // --max-duration counts from here
          run.levelStarted(level);
        }
        return session;
      });
      // each user to its own event loop (a rendez-vous releases all on one thread); sharded, also
      // until the shards' common start
      c = c.exec(pause(session -> untilStart(level)));
    }
    c = c.doIf(session -> session.getInt(INDEX) < active).then(chain(level));
    // a level after the climb ended (--max-error-rate, --stop-on-saturation) passes through: nothing is sent
    s = s.doIf(session -> warmup || run.climb.over() == null).then(c)
        .exec(session -> {
          if (left.decrementAndGet() == 0) {
            ended(level, warmup, next);
          }
          return session;
        });
    return s.injectOpen(atOnceUsers(users));
  }

  /** The level's requests: a closed level's rounds, a rate level's schedule, or chat sessions of several turns. */
  private ChainBuilder chain(LevelPlan level) {
    String group = level.open() ? GatlingNames.openGroup(level.label(), level.schedule(), level.inputLen(), level.outputLen())
        : GatlingNames.group(level.label(), level.concurrency(), level.inputLen(), level.outputLen());
    // a failed request is in its record and in Gatling's stats: the user goes on with its next one
    ChainBuilder one = group(group).on(user.exec(session -> session.markAsSucceeded()));
    if (level.open()) {
      // a free user takes the next request of the schedule: with a cap as users, a request due while
      // all are busy waits for the first to end (vLLM's semaphore); uncapped, one user per request
      return asLongAs(session -> run.climb.goOn(level.label()) && level.reserve()).on(one);
    }
    if (level.turns() > 1) {
      return asLongAs(session -> session.getInt(ROUND) < level.rounds() && run.climb.goOn(level.label()), ROUND).on(
          exec(session -> session.set(HISTORY, JSON.createArrayNode()).set(SESSION, sessions.incrementAndGet()))
              .repeat(level.turns(), TURN).on(one
                  .doIf(session -> level.thinkTimeMs() > 0 && session.getInt(TURN) + 1 < level.turns())
                  .then(pause(Duration.ofMillis(level.thinkTimeMs())))));
    }
    // a user takes its next request while the level's stop rules allow (--max-error-rate, --max-duration)
    return asLongAs(session -> session.getInt(ROUND) < level.rounds() && run.climb.goOn(level.label()), ROUND).on(one);
  }

  /** The last user of a level is out: the level ends, and the next one's requests are built. */
  private void ended(LevelPlan level, boolean warmup, LevelPlan next) {
    if (!warmup && level.endDiagnosis(run.diagnosis)) {
      run.levelEnded();
      run.barrier.arrive(barrierName(level, "end")); // every shard's requests are done before the scrape
      run.scraper.scrapeNow(level.label(), "end"); // after the level's last response, before the next level
    }
    if (!warmup && level.diagnosis() != null) { // it ran (a level after the climb's end did not)
      level.release();
      run.levelDone(level); // its block, its stop and over-saturation check: the climb may end here
    }
    if (next != null && run.climb.over() == null) {
      next.prepare();
      System.out.println("prepared " + next.numPrompts() + (next.numPrompts() == 1 ? " request" : " requests")
          + " for " + next.label() + " in " + next.buildMs() + " ms");
      run.barrier.arrive(barrierName(next, "ready")); // every shard has built its requests (long waits go here)
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

  /** The request the feeder gives next: of the level that runs now. */
  LlmSweep.Fed next() {
    LevelPlan l = current;
    if (l == null) {
      throw new IllegalStateException("the sweep's requests are fed only inside its levels");
    }
    return next(l);
  }

  /** Level {@code l}'s next request: in turn, in schedule order (a rate level's, claimed), or a session's next message. */
  static LlmSweep.Fed next(LevelPlan l) {
    if (l.open()) {
      int i = l.claim();
      if (i < 0) {
        throw new IllegalStateException("level " + l.label() + " has no request left: feed the sweep's requests once per request");
      }
      long due = l.dueNs(i);
      return new LlmSweep.Fed(l.body(i), null, due, Math.max(due, System.nanoTime()));
    }
    if (l.turns() > 1) {
      return new LlmSweep.Fed(null, new String(l.next(), java.nio.charset.StandardCharsets.UTF_8), 0, 0);
    }
    return new LlmSweep.Fed(l.next(), null, 0, 0);
  }

  /** A feeder of requests, each one {@code next} gives: a user takes one per request it sends. */
  static java.util.function.Supplier<java.util.Iterator<Map<String, Object>>> feeder(
      java.util.function.Supplier<LlmSweep.Fed> next) {
    return () -> new java.util.Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Map<String, Object> next() {
        return Map.of(LlmSweep.REQUEST, next.get());
      }
    };
  }

  /** The level a user is in. */
  LevelPlan level(Session session) {
    return byLabel.get(session.getString(LEVEL));
  }
}
