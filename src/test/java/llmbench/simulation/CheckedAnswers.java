package llmbench.simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.concurrent.atomic.AtomicLong;
import llmbench.gatling.llm.AnswerCheck;
import llmbench.gatling.llm.LlmClient;
import llmbench.gatling.llm.LlmSettings;
import llmbench.gatling.llm.StreamWatch;
import llmbench.prompt.RequestBodies;
import llmbench.trace.StreamRecorder;

/**
 * A hand-written simulation on the LLM protocol, as a user writes one: two users each send a streamed
 * completion of 8 tokens with checks on the answer; the second's text check cannot pass. The server
 * and its model come from {@code -Dchecked.url} and {@code -Dchecked.model} (the test's mock).
 */
public class CheckedAnswers extends Simulation {
  private final LlmClient llm = new LlmClient(
      LlmSettings.of(System.getProperty("checked.url"), null, true, 30_000), StreamWatch.NONE);
  private final AtomicLong ids = new AtomicLong();
  private final byte[] body = RequestBodies.plain(System.getProperty("checked.model")).completions("Say hello", 8);

  private ScenarioBuilder user(String name, AnswerCheck... checks) {
    return scenario(name).exec(session -> session.set("recorder", new StreamRecorder(name + "-" + ids.incrementAndGet())))
        .exec(llm.stream("generate", "/v1/completions", session -> body, session -> session.get("recorder"))
            .check(checks));
  }

  {
    setUp(
        user("passes", AnswerCheck.status(200), AnswerCheck.completionTokens(8),
            AnswerCheck.finalChunk("/choices/0/finish_reason", "length")).injectOpen(atOnceUsers(1)),
        user("fails", AnswerCheck.status(200), AnswerCheck.textContains("no such words")).injectOpen(atOnceUsers(1)));
  }

  @Override
  public void after() {
    llm.close();
  }
}
