package llmbench.validity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import llmbench.openai.Answer;

/**
 * What a request asked its answer to be, read from the request's own body: OpenAI's {@code
 * response_format} ({@code json_schema}, {@code json_object}), vLLM's {@code structured_outputs} ({@code
 * json}, {@code regex}, {@code choice}) and its older {@code guided_json}, {@code guided_regex}, {@code
 * guided_choice}; and {@code tools} with {@code tool_choice}. An answer is valid when it is what was
 * asked, checked with a JSON Schema validator: vLLM's structured-output benchmark counts any parseable
 * JSON as correct, which a schema-breaking answer is not.
 */
public final class AnswerRules {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Nothing asked of the answer: nothing to check. */
  public static final AnswerRules NONE = new AnswerRules(null, false, null, null, Map.of(), false);

  private final JsonNode schema;
  private final boolean jsonObject;
  private final Pattern regex;
  private final List<String> choices;
  private final Map<String, JsonNode> tools; // name -> its parameters' schema (null: any arguments)
  private final boolean callRequired;

  private AnswerRules(JsonNode schema, boolean jsonObject, Pattern regex, List<String> choices,
      Map<String, JsonNode> tools, boolean callRequired) {
    this.schema = schema;
    this.jsonObject = jsonObject;
    this.regex = regex;
    this.choices = choices;
    this.tools = tools;
    this.callRequired = callRequired;
  }

  /** What a verdict on one answer says: {@code why} is null when it is valid. */
  public record Verdict(boolean valid, String why) {
    static final Verdict VALID = new Verdict(true, null);

    static Verdict invalid(String why) {
      return new Verdict(false, why.length() > 200 ? why.substring(0, 200) + "..." : why);
    }
  }

  private static final byte[][] ASKING = {bytes("\"response_format\""), bytes("\"structured_outputs\""),
      bytes("\"guided_"), bytes("\"tools\"")};

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /**
   * True when the body names a field that may ask something of the answer: a cheap look before a parse,
   * one pass over the bytes that copies nothing (a vision request's body is megabytes of base64, which
   * holds no quote to stop at).
   */
  public static boolean mayAsk(byte[] body) {
    for (int i = 0; i < body.length; i++) {
      if (body[i] != '"') {
        continue;
      }
      for (byte[] name : ASKING) {
        if (i + name.length <= body.length && java.util.Arrays.equals(body, i, i + name.length, name, 0, name.length)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The rules of a request body (JSON); {@link #NONE} when it asks nothing of its answer. */
  public static AnswerRules of(byte[] body) {
    if (!mayAsk(body)) {
      return NONE;
    }
    try {
      return of(JSON.readTree(body));
    } catch (IOException e) {
      return NONE;
    }
  }

  public static AnswerRules of(JsonNode body) {
    JsonNode schema = null;
    boolean jsonObject = false;
    Pattern regex = null;
    List<String> choices = null;
    JsonNode rf = body.path("response_format");
    switch (rf.path("type").asText("")) {
      case "json_schema" -> schema = rf.path("json_schema").path("schema");
      case "json_object" -> jsonObject = true;
      default -> { }
    }
    JsonNode so = body.path("structured_outputs");
    JsonNode json = so.has("json") ? so.get("json") : body.get("guided_json");
    if (json != null && !json.isNull()) {
      schema = json.isTextual() ? parse(json.asText()) : json;
    }
    JsonNode re = so.has("regex") ? so.get("regex") : body.get("guided_regex");
    if (re != null && re.isTextual()) {
      regex = Pattern.compile(re.asText(), Pattern.DOTALL);
    }
    JsonNode ch = so.has("choice") ? so.get("choice") : body.get("guided_choice");
    if (ch != null && ch.isArray()) {
      choices = new ArrayList<>();
      for (JsonNode c : ch) {
        choices.add(c.asText());
      }
    }
    Map<String, JsonNode> tools = new LinkedHashMap<>();
    for (JsonNode t : body.path("tools")) {
      JsonNode fn = t.path("function");
      tools.put(fn.path("name").asText(), fn.has("parameters") ? fn.get("parameters") : null);
    }
    JsonNode choice = body.path("tool_choice");
    boolean required = !tools.isEmpty() && ("required".equals(choice.asText()) || choice.isObject());
    if (schema == null && !jsonObject && regex == null && choices == null && tools.isEmpty()) {
      return NONE;
    }
    return new AnswerRules(schema, jsonObject, regex, choices, java.util.Collections.unmodifiableMap(tools), required);
  }

  public boolean any() {
    return this != NONE;
  }

  /** The verdict on an answer: its text (thinking left out) and the tool calls it made. */
  public Verdict judge(String text, List<Answer.ToolCall> calls) {
    try {
      return verdict(text, calls);
    } catch (RuntimeException e) { // a schema a user's simulation sent that cannot be applied (a remote $ref)
      return Verdict.invalid("the schema could not be applied: " + e.getMessage());
    }
  }

  private Verdict verdict(String text, List<Answer.ToolCall> calls) {
    if (!tools.isEmpty() && !calls.isEmpty()) {
      for (Answer.ToolCall c : calls) {
        if (!tools.containsKey(c.name())) {
          return Verdict.invalid("a call of " + c.name() + ", a tool it was not offered");
        }
        JsonNode args = parse(c.argumentsJson());
        if (args == null || !args.isObject()) {
          return Verdict.invalid("the arguments of " + c.name() + " are not a JSON object");
        }
        JsonNode params = tools.get(c.name());
        List<String> errors = params == null ? List.of() : Schemas.errors(params, args);
        if (!errors.isEmpty()) {
          return Verdict.invalid("the arguments of " + c.name() + " break its parameters' schema: " + errors.get(0));
        }
      }
      return Verdict.VALID;
    }
    if (callRequired) {
      return Verdict.invalid("no tool call, though tool_choice required one");
    }
    if (schema != null || jsonObject) {
      JsonNode n = parse(text);
      if (n == null) {
        return Verdict.invalid("not JSON");
      }
      if (jsonObject && !n.isObject()) {
        return Verdict.invalid("JSON, but not an object");
      }
      List<String> errors = schema == null ? List.of() : Schemas.errors(schema, n);
      if (!errors.isEmpty()) {
        return Verdict.invalid("JSON that breaks the schema: " + errors.get(0));
      }
    }
    if (regex != null && !regex.matcher(text).matches()) {
      return Verdict.invalid("does not match the regex");
    }
    if (choices != null && !choices.contains(text)) {
      return Verdict.invalid("not one of the choices");
    }
    return Verdict.VALID;
  }

  private static JsonNode parse(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      return n == null || n.isMissingNode() ? null : n;
    } catch (IOException e) {
      return null;
    }
  }
}
