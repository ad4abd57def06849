import static io.gatling.javaapi.core.CoreDsl.*;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.*;
import llmbench.gatling.LlmFeeders;
import llmbench.gatling.LlmProtocolBuilder;

/**
 * Requests as production sends them, each named call with its own results: JSON answers from two LoRA
 * adapters in turn (each answer checked, a row per adapter), the Responses API with a quarter of its
 * users leaving after five tokens (counted apart), and batched embeddings.
 * {@code ./mvnw gatling:test -Dgatling.simulationClass=ProductionLoad -Durl=http://localhost:8000}
 * (the built-in mock plays it all: {@code ./mock_server.sh --port 8000 --lora-modules sql,chat}).
 */
public class ProductionLoad extends Simulation {
  String url = System.getProperty("url", "http://localhost:8000");
  String tokenizer = System.getProperty("tokenizer", "fake_model");
  LlmProtocolBuilder protocol = llm.baseUrl(url).tokenizer(tokenizer);
  LlmProtocolBuilder leaving = protocol.cancel(0.25, 5);

  ScenarioBuilder extract = scenario("extract")
      .feed(LlmFeeders.randomPrompts(60).tokenizer(tokenizer).seed(1))
      .feed(LlmFeeders.adapters("sql,chat"))
      .exec(llm("extract").chat().user("#{prompt}").model("#{adapter}").responseFormat("json_object").maxTokens(64));

  ScenarioBuilder respond = scenario("respond")
      .feed(LlmFeeders.randomPrompts(60).tokenizer(tokenizer).seed(2))
      .exec(llm("respond").responses("#{prompt}").instructions("Answer briefly.").maxTokens(30));

  ScenarioBuilder embed = scenario("embed")
      .feed(LlmFeeders.randomPrompts(60).tokenizer(tokenizer).seed(3))
      .exec(llm("embed").embeddings("#{prompt}", "#{prompt} again"));

  {
    setUp(extract.injectOpen(atOnceUsers(8)).protocols(protocol),
        respond.injectOpen(atOnceUsers(8)).protocols(leaving),
        embed.injectOpen(atOnceUsers(8)).protocols(protocol));
  }
}
