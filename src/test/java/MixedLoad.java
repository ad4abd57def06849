import static io.gatling.javaapi.core.CoreDsl.*;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.*;
import llmbench.gatling.LlmFeeders;
import llmbench.gatling.LlmProtocolBuilder;

/**
 * A chat product's mix, two named LLM calls with their own lengths and rates, each with its own vLLM
 * results: short classifications at a steady rate beside long summaries at random times.
 * {@code ./mvnw gatling:test -Dgatling.simulationClass=MixedLoad -Durl=http://localhost:8000}
 * ({@code -Dtokenizer=DIR}: the served model's tokenizer folder, default fake_model).
 */
public class MixedLoad extends Simulation {
  String tokenizer = System.getProperty("tokenizer", "fake_model");
  int seconds = Integer.getInteger("seconds", 20);
  LlmProtocolBuilder protocol = llm.baseUrl(System.getProperty("url", "http://localhost:8000")).tokenizer(tokenizer);

  ScenarioBuilder classify = scenario("classify")
      .feed(LlmFeeders.randomPrompts(60).tokenizer(tokenizer).seed(1))
      .exec(llm("classify").completion("#{prompt}").maxTokens(4).ignoreEos());

  ScenarioBuilder summarise = scenario("summarise")
      .feed(LlmFeeders.randomPrompts(800).tokenizer(tokenizer).seed(2))
      .exec(llm("summarise").chat().system("Summarise the text.").user("#{prompt}").maxTokens(200).ignoreEos());

  {
    setUp(classify.injectOpen(constantUsersPerSec(4).during(seconds)),
        summarise.injectOpen(constantUsersPerSec(1).during(seconds).randomized()))
        .protocols(protocol)
        .assertions(details("classify", "classify: TTFT").responseTime().percentile(99).lt(1_000),
            details("summarise").failedRequests().percent().lt(1.0));
  }
}
