package llmbench.gatling;

/**
 * The LLM protocol's DSL, as Gatling's {@code HttpDsl} is HTTP's: {@code import static
 * llmbench.gatling.LlmDsl.*;} gives {@code llm} (the protocol builder) and {@code llm("name")} (a
 * request). Checks are in {@link LlmChecks}, feeders in {@link LlmFeeders}.
 *
 * <pre>{@code
 * LlmProtocolBuilder protocol = llm.baseUrl("http://localhost:8000");
 * ScenarioBuilder s = scenario("ask").feed(LlmFeeders.randomPrompts(100))
 *     .exec(llm("ask").completion("#{prompt}").maxTokens(150).ignoreEos());
 * }</pre>
 */
public final class LlmDsl {
  /** The LLM protocol, to give its server and settings: {@code llm.baseUrl("http://localhost:8000")}. */
  public static final LlmProtocolBuilder llm = LlmProtocolBuilder.EMPTY;

  private LlmDsl() {}

  /** A request named {@code name} in Gatling's report and the LLM results: {@code llm("ask").chat().user("...")}. */
  public static LlmRequestBuilder.Named llm(String name) {
    return new LlmRequestBuilder.Named(name);
  }
}
