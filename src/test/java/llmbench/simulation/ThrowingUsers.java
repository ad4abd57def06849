package llmbench.simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.Simulation;

/**
 * Half the users' prompt function throws: each of those requests is a KO with the function's words,
 * and every user still reaches the rendez-vous after it (a lost user would hold it closed forever).
 */
public class ThrowingUsers extends Simulation {
  {
    setUp(scenario("throwing")
        .exec(llm("boom").completion(s -> {
          if (s.userId() % 2 == 0) {
            throw new IllegalStateException("no prompt for user " + s.userId());
          }
          return "hi";
        }).maxTokens(4))
        .rendezVous(4)
        .exec(llm("after").completion("bye").maxTokens(2))
        .injectOpen(atOnceUsers(4)))
        .protocols(llm.baseUrl(System.getProperty("dsl.url")));
  }
}
