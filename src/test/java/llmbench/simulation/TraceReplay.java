package llmbench.simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import llmbench.gatling.LlmFeeders;

/** A user's own replay of {@code -Ddsl.trace} (e.g. {@code mooncake:FILE}) at twice its speed. */
public class TraceReplay extends Simulation {
  LlmFeeders.TracePrompts trace = LlmFeeders.trace(System.getProperty("dsl.trace"))
      .tokenizer(System.getProperty("dsl.tokenizer")).speedup(2);
  ScenarioBuilder replay = scenario("replay")
      .feed(trace)
      .pause(trace.untilArrival())
      .exec(llm("replayed").completion("#{prompt}").maxTokens("#{outputTokens}").ignoreEos());

  {
    setUp(replay.injectOpen(atOnceUsers(trace.count()))).protocols(llm.baseUrl(System.getProperty("dsl.url")));
  }
}
