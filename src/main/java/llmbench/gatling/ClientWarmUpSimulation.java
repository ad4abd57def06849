package llmbench.gatling;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import llmbench.gatling.llm.LlmClient;
import llmbench.gatling.llm.LlmSettings;
import llmbench.gatling.llm.StreamWatch;

/**
 * The client's JIT warm-up ({@link ClientWarmUp}) as a simulation of its own, run quietly before
 * the first measured one: every user streams, on the same chain and protocol as a measured level,
 * from one of the three in-process servers until the JIT has compiled what the streams made hot
 * (HotSpot compiles only running code, so waiting idle would leave the work to the first levels).
 */
public final class ClientWarmUpSimulation extends Simulation {
  private static final String INDEX = "llmbench.userIndex";

  private final List<LlmClient> clients = new ArrayList<>();

  public ClientWarmUpSimulation() {
    ClientWarmUp warm = ClientWarmUp.current();
    if (warm == null) {
      throw new IllegalStateException("ClientWarmUpSimulation runs only from ClientWarmUp.runIfFirst");
    }
    AtomicInteger next = new AtomicInteger();
    ScenarioBuilder s = scenario("client warm-up")
        .exec(session -> session.set(INDEX, next.getAndIncrement()))
        .doIfOrElse(session -> session.getInt(INDEX) % 3 == 0)
        .then(streams(warm.target(0), warm))
        .orElse(doIfOrElse(session -> session.getInt(INDEX) % 3 == 1)
            .then(streams(warm.target(1), warm))
            .orElse(streams(warm.target(2), warm)));
    setUp(s.injectOpen(atOnceUsers(warm.users())));
  }

  /** A user's share: a fresh connection as before a level, then streams while the JIT is busy. */
  private ChainBuilder streams(ClientWarmUp.Target target, ClientWarmUp warm) {
    LlmClient client = new LlmClient(LlmSettings.of(target.mock().baseUrl(), null, true, 60_000), StreamWatch.NONE);
    clients.add(client);
    RequestChain chain = new RequestChain(client, target.path(), "client-warmup", warm.sink(), "client-warmup");
    return asLongAs(session -> warm.streaming()).on(exec(client.freshConnection())
        .exec(session -> {
          if (target.plan().open()) {
            target.plan().restartIfSpent();
          }
          return session;
        })
        .exec(chain.level(target.plan())));
  }

  @Override
  public void after() {
    clients.forEach(LlmClient::close);
  }
}
