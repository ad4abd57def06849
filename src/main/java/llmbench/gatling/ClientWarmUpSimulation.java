package llmbench.gatling;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's JIT warm-up ({@link ClientWarmUp}) as a simulation of its own, run quietly before
 * the first measured one: every user streams, on the same chain and protocol as a measured level,
 * from one of the three in-process servers until the JIT has compiled what the streams made hot
 * (HotSpot compiles only running code, so waiting idle would leave the work to the first levels).
 */
public final class ClientWarmUpSimulation extends Simulation {
  private static final String INDEX = "llmbench.userIndex";

  public ClientWarmUpSimulation() {
    ClientWarmUp warm = ClientWarmUp.current();
    if (warm == null) {
      throw new IllegalStateException("ClientWarmUpSimulation runs only from ClientWarmUp.runIfFirst");
    }
    SseChain chain = new SseChain("/", "client-warmup", warm.sink(), "client-warmup", null, true);
    Duration timeout = Duration.ofSeconds(60);
    AtomicInteger next = new AtomicInteger();
    ScenarioBuilder s = scenario("client warm-up")
        .exec(session -> session.set(INDEX, next.getAndIncrement()))
        .doIfOrElse(session -> session.getInt(INDEX) % 3 == 0)
        .then(streams(warm.target(0), warm, chain, timeout))
        .orElse(doIfOrElse(session -> session.getInt(INDEX) % 3 == 1)
            .then(streams(warm.target(1), warm, chain, timeout))
            .orElse(streams(warm.target(2), warm, chain, timeout)));
    setUp(s.injectOpen(atOnceUsers(warm.users()))).protocols(SseChain.protocol(null));
  }

  /** A user's share: its connection opened as before a level, then streams while the JIT is busy. */
  private static ChainBuilder streams(ClientWarmUp.Target target, ClientWarmUp warm, SseChain chain, Duration timeout) {
    return asLongAs(session -> warm.streaming()).on(SseChain.openConnection(target.health())
        .exec(session -> {
          if (target.plan().open()) {
            target.plan().restartIfSpent();
          }
          return session;
        })
        .exec(chain.level(target.plan(), timeout, target.url(), warm.sink())));
  }
}
