package llmbench.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import llmbench.prompt.TextTokenizer;

/**
 * The pooling endpoints as vLLM serves an embedding or a reranker model: {@code /v1/embeddings} (a
 * vector of {@link #DIM} floats per input, normalized) and {@code /v1/rerank} (a relevance score per
 * document), each answered as one JSON body once the prefill of all its tokens would have taken on
 * the simulated GPU, its usage the tokens the tokenizer counts; and the Responses API's request read
 * as the chat request it amounts to. Each answer goes to the ground truth like a stream's.
 */
final class Pooling {
  /** The embedding model's dimension. */
  static final int DIM = 384;

  private final MockConfig config;
  private final TextTokenizer tokenizer;
  private final GroundTruth truth;
  private final AtomicLong counter;

  Pooling(MockConfig config, TextTokenizer tokenizer, GroundTruth truth, AtomicLong counter) {
    this.config = config;
    this.tokenizer = tokenizer;
    this.truth = truth;
    this.counter = counter;
  }

  /**
   * A Responses API request as a chat request: {@code instructions} the system message, {@code input}
   * (text, or messages whose content is text or {@code input_text} parts) the conversation,
   * {@code max_output_tokens} its max_tokens; usage is always in its last event.
   */
  static ObjectNode responsesAsChat(JsonNode body) {
    if (!body.path("stream").asBoolean(false)) {
      throw ApiError.badRequest("the mock answers /v1/responses streamed only: send \"stream\": true");
    }
    ObjectNode chat = body.deepCopy();
    ArrayNode messages = chat.putArray("messages");
    if (body.path("instructions").isTextual()) {
      messages.addObject().put("role", "system").put("content", body.get("instructions").asText());
    }
    JsonNode input = body.path("input");
    if (input.isTextual()) {
      messages.addObject().put("role", "user").put("content", input.asText());
    } else if (input.isArray()) {
      for (JsonNode m : input) {
        StringBuilder text = new StringBuilder();
        JsonNode content = m.path("content");
        if (content.isTextual()) {
          text.append(content.asText());
        }
        for (JsonNode part : content) {
          text.append(part.path("text").asText(""));
        }
        messages.addObject().put("role", m.path("role").asText("user")).put("content", text.toString());
      }
    } else {
      throw ApiError.badRequest("'input' must be a string or a list of messages");
    }
    chat.remove("input");
    chat.remove("instructions");
    if (body.has("max_output_tokens")) {
      chat.put("max_tokens", body.get("max_output_tokens").asInt());
      chat.remove("max_output_tokens");
    }
    chat.putObject("stream_options").put("include_usage", true);
    return chat;
  }

  void answer(Channel ch, String path, JsonNode body, String requestId, boolean keepAlive, long arrivalNs) {
    String model = body.path("model").asText(null);
    if (model != null && !model.equals(config.modelId())) {
      throw new ApiError(404, "NotFoundError", "model", "The model `" + model + "` does not exist.");
    }
    boolean embeddings = path.endsWith("/embeddings");
    List<String> texts = new ArrayList<>();
    String query = null;
    if (embeddings) {
      JsonNode input = body.path("input");
      if (input.isTextual()) {
        texts.add(input.asText());
      } else if (input.isArray() && !input.isEmpty()) {
        input.forEach(t -> texts.add(t.asText()));
      } else {
        throw ApiError.badRequest("'input' must be a string or a non-empty list of strings");
      }
    } else {
      query = body.path("query").asText(null);
      if (query == null || !body.path("documents").isArray() || body.path("documents").isEmpty()) {
        throw ApiError.badRequest("a rerank request needs 'query' and a non-empty list of 'documents'");
      }
      body.get("documents").forEach(d -> texts.add(d.isTextual() ? d.asText() : d.path("text").asText()));
    }
    long n = counter.incrementAndGet();
    int queryTokens = query == null ? 0 : tokenizer.encode(query, true).length;
    int tokens = 0;
    double[] scores = new double[texts.size()];
    SplittableRandom random = new SplittableRandom(config.seed() * 31 + n);
    for (int i = 0; i < texts.size(); i++) {
      int t = tokenizer.encode(texts.get(i), true).length + queryTokens; // a reranker reads the pair
      if (t > config.maxModelLen()) {
        throw ApiError.badRequest("This model's maximum context length is " + config.maxModelLen() + " tokens. However, "
            + "input " + i + " has " + t + " tokens.");
      }
      tokens += t;
      scores[i] = random.nextDouble();
    }
    double ms = config.stepModel().stepMs(0, 0, tokens, 0) * config.timeScale();
    ObjectNode answer = MockServer.JSON.createObjectNode().put("id", (embeddings ? "embd-" : "rerank-") + n);
    if (embeddings) {
      answer.put("object", "list").put("created", System.currentTimeMillis() / 1000).put("model", config.modelId());
      ArrayNode data = answer.putArray("data");
      for (int i = 0; i < texts.size(); i++) {
        ArrayNode v = data.addObject().put("index", i).put("object", "embedding").putArray("embedding");
        double[] x = new double[DIM];
        double norm = 0;
        for (int d = 0; d < DIM; d++) {
          x[d] = random.nextGaussian();
          norm += x[d] * x[d];
        }
        for (double d : x) {
          v.add((float) (d / Math.sqrt(norm)));
        }
      }
      answer.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    } else {
      answer.put("model", config.modelId());
      ArrayNode results = answer.putArray("results");
      for (int i = 0; i < texts.size(); i++) {
        results.addObject().put("index", i).put("relevance_score", scores[i]).putObject("document")
            .put("text", texts.get(i));
      }
      answer.putObject("usage").put("total_tokens", tokens);
    }
    String traceId = requestId != null ? requestId : answer.get("id").asText();
    int total = tokens;
    ch.eventLoop().schedule(() -> {
      long now = System.nanoTime();
      GroundTruth.Arrival arrival = truth.arrivalOf(traceId);
      truth.record(new GroundTruth.Trace(traceId, embeddings ? "embeddings" : "rerank", arrivalNs, total, 0,
          new long[] {now}, new long[] {now}, new long[0], new long[0], now, now, 0, "NONE", "ok", List.of(),
          new int[0], 0, 0, 0, "stop", 0, 0, arrival.traceparent(), arrival.bodySha256()));
      HttpReplies.send(ch, HttpResponseStatus.OK, answer, keepAlive);
    }, Math.max(0, Math.round(ms * 1000)), TimeUnit.MICROSECONDS);
  }
}
