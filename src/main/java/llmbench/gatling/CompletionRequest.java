package llmbench.gatling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatling.javaapi.core.Session;
import java.util.Map;
import java.util.function.Function;

/** A streamed completion ({@code /v1/completions}) of one prompt: {@code llm("ask").completion("#{prompt}")}. */
public final class CompletionRequest extends LlmRequestBuilder<CompletionRequest> {
  private final Function<Session, String> prompt;

  CompletionRequest(Common common, Function<Session, String> prompt) {
    super(common);
    this.prompt = prompt;
  }

  @Override
  CompletionRequest with(Common c) {
    return new CompletionRequest(c, prompt);
  }

  @Override
  Function<Session, String> path() {
    return s -> "/v1/completions";
  }

  @Override
  void fill(ObjectNode body, Session session) {
    if (prompt == null) {
      throw new IllegalArgumentException("llm(\"" + common.name() + "\").completion() needs a prompt or body(...)");
    }
    body.put("prompt", prompt.apply(session));
  }

  @Override
  Map<String, String> ownFields() {
    return Map.of("prompt", "completion(prompt)");
  }

  @Override
  boolean hasContent() {
    return prompt != null;
  }
}
