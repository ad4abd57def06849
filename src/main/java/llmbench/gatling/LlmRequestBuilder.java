package llmbench.gatling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.Body;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.Session;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import llmbench.gatling.llm.LlmRequest;

/**
 * What every LLM request takes, whatever its endpoint: output length, sampling, the model, any other
 * field, checks on the finished answer and where the answer is kept. Immutable: each method returns a
 * new builder. Arguments are values, Gatling EL ({@code "#{maxTokens}"}) or session functions. The
 * answer is always streamed, with usage asked for, as vLLM's benchmark asks.
 */
public abstract class LlmRequestBuilder<B extends LlmRequestBuilder<B>> implements ActionBuilder {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The fields every request builder shares. */
  record Common(String name, Function<Session, Integer> maxTokens, Function<Session, Integer> minTokens,
      boolean ignoreEos, Double temperature, Function<Session, String> model, Map<String, Object> extra,
      Function<Session, Map<String, Object>> extraFn, Body raw, List<CheckBuilder> checks, String saveAs) {
    Common {
      extra = Map.copyOf(extra);
      checks = List.copyOf(checks);
    }

    static Common named(String name) {
      return new Common(name, null, null, false, null, null, Map.of(), null, null, List.of(), null);
    }
  }

  final Common common;

  LlmRequestBuilder(Common common) {
    this.common = common;
  }

  abstract B with(Common c);

  /** The endpoint's path, e.g. {@code /v1/chat/completions}. */
  abstract Function<Session, String> path();

  /** Puts the request's own fields (prompt, messages, tools) into {@code body}, in order. */
  abstract void fill(ObjectNode body, Session session) throws Exception;

  /** The fields {@link #fill} sets, and the method that sets each: an extra field may not set them too. */
  abstract Map<String, String> ownFields();

  /** True when this builder was given its content (a prompt, messages): a raw body then has no place. */
  abstract boolean hasContent();

  /** The field the most tokens to generate goes in. */
  String maxTokensField() {
    return "max_tokens";
  }

  /** Streamed (false: a pooling endpoint's one JSON answer). */
  boolean streamed() {
    return true;
  }

  /** Streamed with {@code stream_options.include_usage} (the Responses API takes none). */
  boolean streamOptions() {
    return true;
  }

  /** The most tokens to generate ({@code max_tokens}; chat also {@code max_completion_tokens}). */
  public B maxTokens(int tokens) {
    return with(new Common(common.name(), El.constant(tokens), common.minTokens(), common.ignoreEos(),
        common.temperature(), common.model(), common.extra(), common.extraFn(), common.raw(), common.checks(), common.saveAs()));
  }

  public B maxTokens(String el) {
    return with(new Common(common.name(), El.integer(el), common.minTokens(), common.ignoreEos(), common.temperature(),
        common.model(), common.extra(), common.extraFn(), common.raw(), common.checks(), common.saveAs()));
  }

  public B maxTokens(Function<Session, Integer> tokens) {
    return with(new Common(common.name(), tokens, common.minTokens(), common.ignoreEos(), common.temperature(),
        common.model(), common.extra(), common.extraFn(), common.raw(), common.checks(), common.saveAs()));
  }

  /** The fewest tokens to generate ({@code min_tokens}, vLLM's and SGLang's). */
  public B minTokens(int tokens) {
    return with(new Common(common.name(), common.maxTokens(), El.constant(tokens), common.ignoreEos(),
        common.temperature(), common.model(), common.extra(), common.extraFn(), common.raw(), common.checks(), common.saveAs()));
  }

  public B minTokens(String el) {
    return with(new Common(common.name(), common.maxTokens(), El.integer(el), common.ignoreEos(), common.temperature(),
        common.model(), common.extra(), common.extraFn(), common.raw(), common.checks(), common.saveAs()));
  }

  /** Generate until {@code max_tokens} whatever the model says ({@code ignore_eos}, vLLM's benchmark's way). */
  public B ignoreEos() {
    return with(new Common(common.name(), common.maxTokens(), common.minTokens(), true, common.temperature(),
        common.model(), common.extra(), common.extraFn(), common.raw(), common.checks(), common.saveAs()));
  }

  public B temperature(double t) {
    return with(new Common(common.name(), common.maxTokens(), common.minTokens(), common.ignoreEos(), t,
        common.model(), common.extra(), common.extraFn(), common.raw(), common.checks(), common.saveAs()));
  }

  /** The model (or LoRA adapter) to ask for; default: the protocol's. */
  public B model(String el) {
    return with(new Common(common.name(), common.maxTokens(), common.minTokens(), common.ignoreEos(),
        common.temperature(), El.string(el), common.extra(), common.extraFn(), common.raw(), common.checks(), common.saveAs()));
  }

  /**
   * Any other fields, as given (e.g. {@code Map.of("chat_template_kwargs", Map.of("enable_thinking", false))});
   * one this builder sets too is an error naming both.
   */
  public B extraBody(Map<String, ?> fields) {
    Map<String, Object> all = new LinkedHashMap<>(common.extra());
    all.putAll(fields);
    for (String k : fields.keySet()) {
      String by = ownOrCommon(k);
      if (by != null) {
        throw new IllegalArgumentException("llm(\"" + common.name() + "\"): extraBody sets \"" + k + "\", which "
            + by + " sets: use that");
      }
    }
    return with(new Common(common.name(), common.maxTokens(), common.minTokens(), common.ignoreEos(),
        common.temperature(), common.model(), all, common.extraFn(), common.raw(), common.checks(), common.saveAs()));
  }

  /**
   * The shape the answer must take, as a run's {@code --response-format} says: {@code json_schema:FILE},
   * {@code json_object}, {@code regex:PATTERN} or {@code choice:A,B,C}. Every answer is checked against
   * it (a JSON Schema validator, not a parse), its verdict in the LLM results: the valid fraction and the
   * latencies of valid answers; a failed validation is counted, not a failed request.
   */
  @SuppressWarnings("unchecked")
  public B responseFormat(String format) {
    return extraBody((Map<String, Object>) JSON.convertValue(llmbench.validity.AnswerShape.fields(format, null, null),
        LinkedHashMap.class));
  }

  /** Other fields as a JSON object, e.g. {@code "{\"top_p\": 0.9}"}. */
  @SuppressWarnings("unchecked")
  public B extraBody(String jsonObject) {
    try {
      return extraBody((Map<String, Object>) JSON.readValue(jsonObject, LinkedHashMap.class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("llm(\"" + common.name() + "\"): extraBody is not a JSON object: "
          + e.getOriginalMessage());
    }
  }

  /** Other fields from the session, merged into each request (a field this builder sets is an error). */
  public B extraBody(Function<Session, Map<String, Object>> fields) {
    return with(new Common(common.name(), common.maxTokens(), common.minTokens(), common.ignoreEos(),
        common.temperature(), common.model(), common.extra(), fields, common.raw(), common.checks(), common.saveAs()));
  }

  /**
   * The whole body, as given (Gatling's {@code StringBody}, {@code ElFileBody}, {@code ByteArrayBody}...):
   * the raw escape hatch. It must be a JSON object; {@code "stream": true} and usage are added when missing.
   */
  public B body(Body body) {
    return with(new Common(common.name(), common.maxTokens(), common.minTokens(), common.ignoreEos(),
        common.temperature(), common.model(), common.extra(), common.extraFn(), body, common.checks(), common.saveAs()));
  }

  /**
   * Checks on the finished answer: {@code LlmChecks} (status, token counts, finish reason, text, tool
   * calls), Gatling's {@code jsonPath}/{@code jmesPath} on the final chunk and {@code bodyString},
   * {@code substring}, {@code regex} on the text; a failed one makes the request KO with its words.
   */
  public B check(CheckBuilder... checks) {
    List<CheckBuilder> all = new ArrayList<>(common.checks());
    all.addAll(List.of(checks));
    return with(new Common(common.name(), common.maxTokens(), common.minTokens(), common.ignoreEos(),
        common.temperature(), common.model(), common.extra(), common.extraFn(), common.raw(), all, common.saveAs()));
  }

  /**
   * Keeps the answer in the session under {@code key} (text, thinking, tool calls, usage):
   * {@code #{key}} is its text, {@code #{key.toolCalls(0).arguments.city}} a tool call's argument, and
   * a chat request's {@code assistant("#{key}")} sends it back with its tool calls.
   */
  public B saveAnswerAs(String key) {
    return with(new Common(common.name(), common.maxTokens(), common.minTokens(), common.ignoreEos(),
        common.temperature(), common.model(), common.extra(), common.extraFn(), common.raw(), common.checks(), key));
  }

  private String ownOrCommon(String field) {
    String own = ownFields().get(field);
    if (own != null) {
      return own;
    }
    return switch (field) {
      case "model" -> "model(...) (default: the protocol's)";
      case "stream", "stream_options" -> "the LLM action (it always streams, with usage)";
      case "max_tokens", "max_completion_tokens" -> "maxTokens(...)";
      case "min_tokens" -> "minTokens(...)";
      case "ignore_eos" -> "ignoreEos()";
      case "temperature" -> "temperature(...)";
      default -> null;
    };
  }

  /** The request as the protocol's action runs it. */
  LlmRequest request() {
    if (common.raw() != null && (hasContent() || common.maxTokens() != null || common.minTokens() != null
        || common.ignoreEos() || common.temperature() != null || !common.extra().isEmpty() || common.extraFn() != null)) {
      throw new IllegalArgumentException("llm(\"" + common.name() + "\"): body(...) is the whole request: "
          + "leave out the prompt, messages and fields, or leave out body(...)");
    }
    LlmRequest.BodyMaker maker = common.raw() != null ? (s, model) -> raw(common.raw(), s, model, path().apply(s))
        : this::json;
    return new LlmRequest(common.name(), path(), maker, common.checks(), common.saveAs());
  }

  private byte[] json(Session s, String defaultModel) throws Exception {
    ObjectNode b = JSON.createObjectNode();
    b.put("model", common.model() != null ? common.model().apply(s) : defaultModel);
    fill(b, s);
    if (common.maxTokens() != null) {
      if (!streamed()) {
        throw new IllegalArgumentException("llm(\"" + common.name() + "\"): an embeddings request generates no tokens: "
            + "leave out maxTokens(...)");
      }
      int max = common.maxTokens().apply(s);
      b.put(maxTokensField(), max);
      if (this instanceof ChatRequest) {
        b.put("max_completion_tokens", max);
      }
    }
    if (common.minTokens() != null) {
      b.put("min_tokens", common.minTokens().apply(s));
    }
    if (common.temperature() != null) {
      b.put("temperature", common.temperature());
    }
    if (streamed()) {
      b.put("stream", true);
    }
    if (streamOptions() && streamed()) {
      b.putObject("stream_options").put("include_usage", true);
    }
    if (common.ignoreEos()) {
      b.put("ignore_eos", true);
    }
    common.extra().forEach((k, v) -> b.set(k, JSON.valueToTree(v)));
    if (common.extraFn() != null) {
      for (Map.Entry<String, Object> e : common.extraFn().apply(s).entrySet()) {
        if (b.has(e.getKey())) {
          throw new IllegalArgumentException("extraBody sets \"" + e.getKey() + "\", which the request sets too");
        }
        b.set(e.getKey(), JSON.valueToTree(e.getValue()));
      }
    }
    return JSON.writeValueAsBytes(b);
  }

  private static final byte[] STREAMED = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] USAGE = "\"include_usage\":true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MODEL = "\"model\":".getBytes(StandardCharsets.US_ASCII);
  private static final java.util.List<String> POOLING = java.util.List.of("/embeddings", "/rerank", "/score", "/pooling",
      "/classify");

  /**
   * A raw body, streamed with usage (a body that already says so, as the sweep's do, goes as it is); to
   * the Responses API streamed (it takes no stream_options); to a pooling endpoint (embeddings, rerank),
   * whose answer is one JSON body, as it is.
   */
  private static byte[] raw(Body body, Session s, String defaultModel, String path) throws Exception {
    byte[] bytes;
    if (body instanceof Body.WithBytes b) {
      bytes = b.apply(s);
    } else if (body instanceof Body.WithString b) {
      bytes = b.apply(s).getBytes(StandardCharsets.UTF_8);
    } else {
      throw new IllegalArgumentException("body(...) takes a body of bytes or text (StringBody, ElFileBody, ByteArrayBody)");
    }
    boolean pooling = POOLING.stream().anyMatch(path::endsWith);
    boolean responses = path.endsWith("/responses");
    if (pooling ? contains(bytes, MODEL) : contains(bytes, STREAMED) && (responses || contains(bytes, USAGE))) {
      return bytes;
    }
    JsonNode n;
    try {
      n = JSON.readTree(bytes);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("the body is not JSON: " + e.getMessage());
    }
    if (!(n instanceof ObjectNode o)) {
      throw new IllegalArgumentException("the body is not a JSON object");
    }
    if (!pooling && o.has("stream") && !o.get("stream").asBoolean()) {
      throw new IllegalArgumentException("the body asks for no stream (\"stream\": false): the LLM action reads streamed answers");
    }
    if (!pooling) {
      o.put("stream", true);
    }
    if (!pooling && !responses) {
      JsonNode opts = o.get("stream_options");
      (opts instanceof ObjectNode on ? on : o.putObject("stream_options")).put("include_usage", true);
    }
    if (!o.has("model")) {
      o.put("model", defaultModel);
    }
    return JSON.writeValueAsBytes(o);
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Gatling builds the request's action from this. */
  @Override
  public io.gatling.core.action.builder.ActionBuilder asScala() {
    return request().action().asScala();
  }

  /** Names the request, then says which endpoint: {@code llm("ask").completion("#{prompt}")}, {@code .chat()}, {@code .post(path)}. */
  public static final class Named {
    private final String name;

    Named(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("llm(name): a request needs a name, as it appears in the reports");
      }
      this.name = name;
    }

    /** A completion ({@code /v1/completions}) of {@code prompt}: a value or EL such as {@code "#{prompt}"}. */
    public CompletionRequest completion(String prompt) {
      return new CompletionRequest(Common.named(name), El.string(prompt));
    }

    public CompletionRequest completion(Function<Session, String> prompt) {
      return new CompletionRequest(Common.named(name), prompt);
    }

    /** A completion whose whole body is given with {@code body(...)}. */
    public CompletionRequest completion() {
      return new CompletionRequest(Common.named(name), null);
    }

    /** A chat completion ({@code /v1/chat/completions}): add its messages with {@code system}, {@code user}... */
    public ChatRequest chat() {
      return new ChatRequest(Common.named(name), List.of(), null, null);
    }

    /** A streamed request to the Responses API ({@code /v1/responses}) of {@code input}: a value or EL. */
    public ResponsesRequest responses(String input) {
      return new ResponsesRequest(Common.named(name), El.string(input), null);
    }

    /** An embeddings request ({@code /v1/embeddings}) of one input or several (values or EL). */
    public EmbeddingsRequest embeddings(String... inputs) {
      if (inputs.length == 0) {
        throw new IllegalArgumentException("llm(\"" + name + "\").embeddings(...) needs an input");
      }
      return new EmbeddingsRequest(Common.named(name), java.util.Arrays.stream(inputs).map(El::string).toList());
    }

    /** Any endpoint (a value or EL, e.g. {@code "/v1/rerank"}), its whole body given with {@code body(...)}. */
    public RawRequest post(String path) {
      return new RawRequest(Common.named(name), El.string(path));
    }

    /** The same, its path from the session (e.g. the endpoint a run's plan chose). */
    public RawRequest post(java.util.function.Function<Session, String> path) {
      return new RawRequest(Common.named(name), path);
    }
  }

  /** A request to a path of the caller's, with its whole body given ({@link #body}). */
  public static final class RawRequest extends LlmRequestBuilder<RawRequest> {
    private final Function<Session, String> path;

    RawRequest(Common common, Function<Session, String> path) {
      super(common);
      this.path = path;
    }

    @Override
    RawRequest with(Common c) {
      return new RawRequest(c, path);
    }

    @Override
    Function<Session, String> path() {
      return path;
    }

    @Override
    void fill(ObjectNode body, Session session) {
      throw new IllegalArgumentException("llm(\"" + common.name() + "\").post(...) needs body(...)");
    }

    @Override
    Map<String, String> ownFields() {
      return Map.of();
    }

    @Override
    boolean hasContent() {
      return false;
    }

    @Override
    LlmRequest request() {
      if (common.raw() == null) {
        throw new IllegalArgumentException("llm(\"" + common.name() + "\").post(...) needs body(...): the whole request");
      }
      return super.request();
    }
  }

}
