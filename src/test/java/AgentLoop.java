import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.http;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.*;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import llmbench.gatling.LlmChecks;
import llmbench.gatling.LlmProtocolBuilder;

/**
 * An agent's loop, each step named in Gatling's report and the LLM results: the model plans (it asks
 * for a tool), an ordinary HTTP call runs the tool, the model answers with the tool's result.
 * {@code ./mvnw gatling:test -Dgatling.simulationClass=AgentLoop -Durl=http://localhost:8000} (the
 * built-in mock serves the tool too: {@code ./mock_server.sh --port 8000}).
 */
public class AgentLoop extends Simulation {
  String url = System.getProperty("url", "http://localhost:8000");
  LlmProtocolBuilder llmProtocol = llm.baseUrl(url);
  HttpProtocolBuilder tools = http.baseUrl(url);

  String weather = """
      [{"type": "function", "function": {"name": "get_weather", "description": "Today's weather in a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]""";

  ScenarioBuilder agent = scenario("agent")
      .exec(llm("plan").chat().user("What should I wear today?").tools(weather).maxTokens(100)
          .check(LlmChecks.toolName().is("get_weather")).saveAnswerAs("plan"))
      .exec(http("weather").get("/tools/weather").queryParam("city", "#{plan.toolCalls(0).arguments.city}")
          .check(bodyString().saveAs("forecast")))
      .exec(llm("answer").chat().user("What should I wear today?").tools(weather).assistant("#{plan}")
          .tool("#{forecast}").maxTokens(60).ignoreEos());

  {
    setUp(agent.injectOpen(rampUsers(Integer.getInteger("users", 6)).during(3)))
        .protocols(llmProtocol, tools)
        .assertions(details("plan").failedRequests().count().is(0L), details("answer").failedRequests().count().is(0L));
  }
}
