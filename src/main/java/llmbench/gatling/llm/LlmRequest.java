package llmbench.gatling.llm;

import io.gatling.core.action.Action;
import io.gatling.core.check.Check;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.Session;
import java.util.List;
import java.util.function.Function;
import llmbench.openai.Answer;

/**
 * One LLM request as a simulation describes it, resolved for each virtual user when it is sent: its
 * name in the reports, the path and body from the user's session, the checks on its finished answer,
 * and the session key its answer is saved under. The public builders ({@code llmbench.gatling}) make it;
 * {@link #action} is what {@code exec(...)} takes.
 *
 * @param saveAnswerAs null: the answer is not kept
 */
public record LlmRequest(String name, Function<Session, String> path, BodyMaker body, List<CheckBuilder> checks,
    String saveAnswerAs) {

  /** The request's JSON body for one user; {@code defaultModel} is the protocol's (or the server's) model. */
  public interface BodyMaker {
    byte[] body(Session session, String defaultModel) throws Exception;
  }

  public LlmRequest {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an llm(...) request needs a name");
    }
    checks = List.copyOf(checks);
  }

  /** The action Gatling builds for each place the request is used; its checks are checked here, once. */
  public ActionBuilder action() {
    scala.collection.immutable.List<Check<Answer>> scala = AnswerChecks.materialize(name, checks);
    return () -> (ScenarioContext ctx, Action next) ->
        new LlmAction(this, ctx.protocolComponentsRegistry().components(LlmProtocol.KEY), scala, next);
  }
}
