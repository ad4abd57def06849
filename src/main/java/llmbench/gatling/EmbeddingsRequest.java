package llmbench.gatling;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatling.javaapi.core.Session;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An embeddings request ({@code /v1/embeddings}) of one input or a batch: {@code
 * llm("embed").embeddings("#{prompt}")}, {@code .embeddings(List.of("#{a}", "#{b}"))}. Its answer is one
 * JSON body, not a stream: the LLM results give its end-to-end latency and input tokens, as vLLM's
 * embedding benchmark does.
 */
public final class EmbeddingsRequest extends LlmRequestBuilder<EmbeddingsRequest> {
  private final List<Function<Session, String>> inputs;

  EmbeddingsRequest(Common common, List<Function<Session, String>> inputs) {
    super(common);
    this.inputs = List.copyOf(inputs);
  }

  @Override
  EmbeddingsRequest with(Common c) {
    return new EmbeddingsRequest(c, inputs);
  }

  @Override
  Function<Session, String> path() {
    return s -> "/v1/embeddings";
  }

  @Override
  boolean streamed() {
    return false;
  }

  @Override
  void fill(ObjectNode body, Session session) {
    ArrayNode in = body.putArray("input");
    inputs.forEach(f -> in.add(f.apply(session)));
    body.put("encoding_format", "float");
  }

  @Override
  Map<String, String> ownFields() {
    return Map.of("input", "embeddings(input)", "encoding_format", "embeddings(input)");
  }

  @Override
  boolean hasContent() {
    return true;
  }
}
