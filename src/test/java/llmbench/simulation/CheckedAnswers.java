package llmbench.simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.Simulation;
import llmbench.gatling.LlmChecks;
import llmbench.gatling.LlmProtocolBuilder;

/**
 * Checks on finished answers, as a user writes them: two users each stream a completion of 8 tokens;
 * the first's checks pass (one saves the finish reason, which a second request then sends back), the
 * second's text check cannot pass. The server comes from {@code -Dchecked.url} (the test's mock).
 */
public class CheckedAnswers extends Simulation {
  LlmProtocolBuilder protocol = llm.baseUrl(System.getProperty("checked.url"));

  {
    setUp(
        scenario("passes")
            .exec(llm("generate").completion("Say hello").maxTokens(8).ignoreEos()
                .check(LlmChecks.status().is(200), LlmChecks.completionTokens().is(8),
                    jsonPath("$.choices[0].finish_reason").saveAs("finish"),
                    jsonPath("$.usage.completion_tokens").ofInt().is(8)))
            .exec(llm("echo").completion("#{finish}").maxTokens(2))
            .injectOpen(atOnceUsers(1)),
        scenario("fails")
            .exec(llm("generate").completion("Say hello").maxTokens(8).ignoreEos()
                .check(LlmChecks.status().is(200), substring("no such words").exists()))
            .injectOpen(atOnceUsers(1)))
        .protocols(protocol);
  }
}
