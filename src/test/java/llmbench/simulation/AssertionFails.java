package llmbench.simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.Simulation;

/** An assertion on a named LLM request that cannot hold (no stream is under 1 ms end to end): the run fails. */
public class AssertionFails extends Simulation {
  {
    setUp(scenario("ask").exec(llm("ask").completion("Hi").maxTokens(30).ignoreEos()).injectOpen(atOnceUsers(2)))
        .protocols(llm.baseUrl(System.getProperty("dsl.url")))
        .assertions(details("ask").responseTime().max().lt(1));
  }
}
