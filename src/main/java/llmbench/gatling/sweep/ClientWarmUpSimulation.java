package llmbench.gatling.sweep;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import llmbench.gatling.llm.FreshConnection;
import llmbench.gatling.llm.LlmRun;
import llmbench.trace.RequestRecord;
import llmbench.workload.LevelPlan;

/**
 * The client's JIT warm-up ({@link ClientWarmUp}) as a simulation of its own, run quietly before
 * the first measured one: each of the three in-process servers gets its users, on the same protocol,
 * action, feeder and level chains as a measured level, streaming until the JIT has compiled what the
 * streams made hot (HotSpot compiles only running code, so waiting idle would leave the work to the
 * first levels).
 */
public final class ClientWarmUpSimulation extends Simulation {
  public ClientWarmUpSimulation() {
    ClientWarmUp warm = ClientWarmUp.current();
    if (warm == null) {
      throw new IllegalStateException("ClientWarmUpSimulation runs only from ClientWarmUp.runIfFirst");
    }
    List<PopulationBuilder> servers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      ClientWarmUp.Target target = warm.target(t);
      LevelPlan plan = target.plan();
      ChainBuilder send = feed(Levels.feeder(() -> Levels.next(plan))).exec(llm("generate").post(target.path())
          .body(ByteArrayBody(s -> s.<LlmSweep.Fed>get(LlmSweep.REQUEST).body())))
          .pause(s -> warm.pause());
      ChainBuilder level = plan.open() ? asLongAs(s -> plan.reserve()).on(send) : repeat(plan.rounds()).on(send);
      servers.add(scenario("client warm-up " + target.name())
          .exec(s -> {
            warm.diagnosis().watch(s.asScala().eventLoop());
            return s;
          })
          .asLongAs(s -> warm.streaming()).on(exec(FreshConnection.action())
              .exec(s -> {
                if (plan.open()) {
                  plan.restartIfSpent();
                }
                return s;
              })
              .exec(level))
          .injectOpen(atOnceUsers(warm.usersPerTarget()))
          .protocols(llm.baseUrl(target.mock().baseUrl()).apiKey(null).model(target.mock().config().modelId())
              .requestTimeout(Duration.ofSeconds(60)).run(c -> new Run(warm, target))));
    }
    setUp(servers);
  }

  /** A warm-up server's run: its records go to the warm-up's writer (the record path is part of what gets compiled). */
  private static final class Run implements LlmRun {
    private final ClientWarmUp warm;
    private final ClientWarmUp.Target target;
    private final AtomicLong ids = new AtomicLong();

    Run(ClientWarmUp warm, ClientWarmUp.Target target) {
      this.warm = warm;
      this.target = target;
    }

    @Override
    public Context context(io.gatling.javaapi.core.Session session, String name, List<String> groups) {
      LlmSweep.Fed fed = session.get(LlmSweep.REQUEST);
      LevelPlan p = target.plan();
      return new Context("client-warmup", p.label(), p.concurrency(), p.inputLen(), p.outputLen(), fed.dueNs(),
          fed.readyNs(), 0, 0);
    }

    @Override
    public void record(Supplier<RequestRecord> record) {
      warm.sink().submit(record);
    }

    @Override
    public llmbench.gatling.llm.StreamWatch watch() {
      return warm.streamWatch(); // a measured run's watch: its code is on the hot path too
    }

    @Override
    public String nextId() {
      return "client-warmup-" + target.name() + "-" + ids.incrementAndGet();
    }

    @Override
    public void end() {
      // the warm-up's writer and servers are closed by ClientWarmUp
    }
  }
}
