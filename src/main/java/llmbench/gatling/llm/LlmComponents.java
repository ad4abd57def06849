package llmbench.gatling.llm;

import io.gatling.core.CoreComponents;
import io.gatling.core.controller.Controller$Command$StopLoadGenerator;
import io.gatling.core.protocol.ProtocolComponents;
import io.gatling.core.session.Session;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import llmbench.server.ServerClient;
import scala.runtime.BoxedUnit;

/**
 * The LLM protocol's state for one Gatling run, opened and closed by Gatling: the connections to the
 * server, the run's records and results ({@link LlmRun}), the model a request names by default. Each
 * virtual user's connection is closed when the user exits; everything else when Gatling's actor system
 * terminates (after {@code after()}, before Gatling's report), which is also when the run's records
 * are written out and its results made.
 */
public final class LlmComponents implements ProtocolComponents {
  private final LlmProtocol protocol;
  private final CoreComponents core;
  private final LlmClient client;
  private final String model;
  private final LlmRun run;
  private final AtomicBoolean crashed = new AtomicBoolean();

  private LlmComponents(LlmProtocol protocol, CoreComponents core) {
    this.protocol = protocol;
    this.core = core;
    this.client = new LlmClient(protocol.settings());
    this.model = protocol.model() != null ? protocol.model() : firstModel(protocol.settings());
    this.run = protocol.run().start(this);
  }

  static LlmComponents open(LlmProtocol protocol, CoreComponents core) {
    LlmComponents c = new LlmComponents(protocol, core);
    core.actorSystem().registerOnTermination(() -> {
      c.close();
      return BoxedUnit.UNIT;
    });
    return c;
  }

  /** The model of the server's {@code /v1/models} (one request, bounded), when the protocol names none. */
  private static String firstModel(LlmSettings s) {
    String url = s.server().toString();
    try {
      return new ServerClient(url, s.apiKey(), Duration.ofMillis(Math.min(30_000, s.requestTimeoutMs())), s.tls(), s.headers()).model().id();
    } catch (ServerClient.ServerError e) {
      throw new IllegalArgumentException("the LLM protocol names no model and " + url + "/v1/models did not tell one ("
          + e.getMessage() + "): give llm.model(\"...\")");
    }
  }

  private void close() {
    try {
      run.end();
    } finally {
      client.close();
    }
  }

  private final java.util.concurrent.atomic.AtomicLong measured = new java.util.concurrent.atomic.AtomicLong();

  /** Whether the next measured request (not a warm-up's) is one the protocol's cancellation closes early. */
  boolean cancelsNext() {
    return settings().cancel().any() && settings().cancel().picks(measured.incrementAndGet());
  }

  public LlmProtocol protocol() {
    return protocol;
  }

  public CoreComponents core() {
    return core;
  }

  public LlmSettings settings() {
    return protocol.settings();
  }

  LlmClient client() {
    return client;
  }

  public LlmRun run() {
    return run;
  }

  /** The model a request asks for when it names none. */
  public String model() {
    return model;
  }

  /**
   * Ends the run at once with {@code why} (e.g. the record writer failed): Gatling stops its users,
   * writes what it has and exits with an error; the records written so far are kept.
   */
  public void crash(String why) {
    if (crashed.compareAndSet(false, true)) {
      System.err.println("error: " + why + ": the run stops");
      // as Gatling's own crashLoadGenerator(...): the run ends with an error, its results are still made
      core.controller().$bang(new Controller$Command$StopLoadGenerator(why, true));
    }
  }

  /** True once the run was stopped ({@link #crash}): no request is sent any more, each user exits. */
  public boolean crashed() {
    return crashed.get();
  }

  @Override
  public scala.Function1<Session, Session> onStart() {
    return s -> s;
  }

  @Override
  public scala.Function1<Session, BoxedUnit> onExit() {
    return s -> {
      String key = LlmAction.connectionKey(protocol.settings());
      if (s.contains(key)) {
        ((UserConnection) s.attributes().apply(key)).close();
      }
      return BoxedUnit.UNIT;
    };
  }
}
