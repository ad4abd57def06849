package llmbench.gatling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatling.javaapi.core.Session;
import java.util.Map;
import java.util.function.Function;

/**
 * A streamed request to OpenAI's Responses API ({@code /v1/responses}): {@code
 * llm("ask").responses("#{prompt}").instructions("Be brief.").maxTokens(200)}. Its typed events are read
 * as a chat's chunks: TTFT at the first text (or reasoning) delta, ITL between deltas, usage from
 * {@code response.completed}.
 */
public final class ResponsesRequest extends LlmRequestBuilder<ResponsesRequest> {
  private final Function<Session, String> input;
  private final Function<Session, String> instructions;

  ResponsesRequest(Common common, Function<Session, String> input, Function<Session, String> instructions) {
    super(common);
    this.input = input;
    this.instructions = instructions;
  }

  /** The system's words ({@code instructions}): a value or EL. */
  public ResponsesRequest instructions(String el) {
    return new ResponsesRequest(common, input, El.string(el));
  }

  @Override
  ResponsesRequest with(Common c) {
    return new ResponsesRequest(c, input, instructions);
  }

  @Override
  Function<Session, String> path() {
    return s -> "/v1/responses";
  }

  @Override
  String maxTokensField() {
    return "max_output_tokens";
  }

  @Override
  boolean streamOptions() {
    return false; // the Responses API puts its usage in response.completed and takes no stream_options
  }

  @Override
  void fill(ObjectNode body, Session session) {
    if (instructions != null) {
      body.put("instructions", instructions.apply(session));
    }
    body.put("input", input.apply(session));
  }

  @Override
  Map<String, String> ownFields() {
    return Map.of("input", "responses(input)", "instructions", "instructions(...)", "max_output_tokens", "maxTokens(...)");
  }

  @Override
  boolean hasContent() {
    return true;
  }
}
