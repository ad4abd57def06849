package llmbench.gatling.llm;

import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;

/**
 * Gives the user an open connection before a level, sending nothing: one it used less than a second
 * ago stays, else a new one replaces it. A level's first requests then pay no TCP handshake, and no
 * connection the server may have closed while idle (uvicorn: after 5 s) is used. A connection that
 * cannot be made is left to the next request, which reports it.
 */
public final class FreshConnection implements Action {
  private final LlmComponents components;
  private final Action next;
  private final String key;

  private FreshConnection(LlmComponents components, Action next) {
    this.components = components;
    this.next = next;
    this.key = LlmAction.connectionKey(components.settings());
  }

  public static ActionBuilder action() {
    return () -> (ScenarioContext ctx, Action next) ->
        new FreshConnection(ctx.protocolComponentsRegistry().components(LlmProtocol.KEY), next);
  }

  @Override
  public String name() {
    return "fresh connection";
  }

  @Override
  public void execute(Session session) {
    if (session.contains(key)) {
      UserConnection kept = (UserConnection) session.attributes().apply(key);
      if (kept.freshWithin(1_000_000_000L)) {
        next.$bang(session);
        return;
      }
      kept.close();
    }
    UserConnection conn = new UserConnection();
    components.client().connect(components.core(), conn, session.eventLoop(),
        f -> next.$bang(f.isSuccess() ? session.set(key, conn) : session.remove(key)));
  }

  @Override
  public com.typesafe.scalalogging.Logger logger() {
    return LlmAction.LOGGER;
  }

  @Override
  public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(com.typesafe.scalalogging.Logger l) {
    // the action's logger
  }
}
