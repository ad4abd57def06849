package llmbench.simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.Simulation;

/** Two named calls, one inside a group, from {@code -Ddsl.url}'s server: their results are per name within the group. */
public class TwoCalls extends Simulation {
  {
    setUp(scenario("two calls").exec(repeat(3).on(
            llm("short").completion("Say hi").maxTokens(20).ignoreEos(),
            group("checkout").on(llm("long").completion("Write a story").maxTokens(60).ignoreEos())))
        .injectOpen(atOnceUsers(4)))
        .protocols(llm.baseUrl(System.getProperty("dsl.url")));
  }
}
