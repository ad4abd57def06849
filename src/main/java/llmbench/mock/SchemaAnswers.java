package llmbench.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers shaped by a JSON Schema, as a served model under structured output makes them: an instance
 * of the schema (objects, arrays, enums, consts, strings, numbers, booleans; {@code $ref}, {@code
 * oneOf} and the like take their first branch), cut into the tokens it is streamed in; or, for the
 * {@code invalid} fault, JSON that parses but breaks the schema (a required property left out, else a
 * value of the wrong type), the kind of answer a benchmark that only parses would count as correct.
 */
final class SchemaAnswers {
  private static final String[] WORDS = {"Paris", "Lisbon", "Osaka", "Lima", "Nairobi", "Oslo", "blue", "fast"};
  private static final Pattern PIECES = Pattern.compile("[A-Za-z]+|\\d+|\\s+|[^A-Za-z\\d\\s]+");

  private SchemaAnswers() {}

  /**
   * The tokens of the answer a request's body asks a shape of: OpenAI's {@code response_format}
   * ({@code json_schema}, {@code json_object}), vLLM's {@code structured_outputs} or {@code guided_*}
   * ({@code json}, {@code choice}); null when it asks none the mock plays (a regex or a grammar: words).
   */
  static List<String> forBody(JsonNode body, long seed, boolean broken) {
    JsonNode rf = body.path("response_format");
    JsonNode so = body.path("structured_outputs");
    JsonNode schema = "json_schema".equals(rf.path("type").asText()) ? rf.path("json_schema").path("schema")
        : so.has("json") ? so.get("json") : body.get("guided_json");
    if (schema != null && schema.isTextual()) {
      try {
        schema = MockServer.JSON.readTree(schema.asText());
      } catch (java.io.IOException e) {
        schema = null;
      }
    }
    if (schema != null && !schema.isNull() && !schema.isMissingNode()) {
      return pieces((broken ? broken(schema, seed) : instance(schema, seed)).toString());
    }
    if ("json_object".equals(rf.path("type").asText())) {
      return pieces(broken ? "[\"not\", \"an object\"]" : "{\"answer\": \"" + WORDS[(int) Math.floorMod(seed, WORDS.length)] + "\"}");
    }
    JsonNode choices = so.has("choice") ? so.get("choice") : body.path("guided_choice");
    if (choices.isArray() && !choices.isEmpty()) {
      String pick = broken ? "none of them" : choices.get((int) Math.floorMod(seed, choices.size())).asText();
      return pieces(pick);
    }
    return null;
  }

  /** An instance of {@code schema}, drawn with {@code seed}. */
  static JsonNode instance(JsonNode schema, long seed) {
    return value(schema, new SplittableRandom(seed), 0);
  }

  /** JSON that parses but does not conform to {@code schema}. */
  static JsonNode broken(JsonNode schema, long seed) {
    JsonNode good = instance(schema, seed);
    if (good instanceof ObjectNode o) {
      JsonNode required = schema.path("required");
      if (required.isArray() && !required.isEmpty()) {
        o.remove(required.get(0).asText());
        return o;
      }
      var names = o.fieldNames();
      if (names.hasNext()) {
        String first = names.next();
        o.set(first, wrongType(schema.path("properties").path(first)));
        return o;
      }
      return MockServer.JSON.getNodeFactory().textNode("not an object");
    }
    return wrongType(schema);
  }

  /** The tokens a JSON text is streamed in: words, numbers, spaces and runs of punctuation. */
  static List<String> pieces(String json) {
    List<String> pieces = new ArrayList<>();
    Matcher m = PIECES.matcher(json);
    while (m.find()) {
      pieces.add(m.group());
    }
    return pieces;
  }

  private static JsonNode wrongType(JsonNode schema) {
    var f = MockServer.JSON.getNodeFactory();
    return switch (type(schema)) {
      case "string" -> f.numberNode(42);
      case "object" -> f.textNode("not an object");
      default -> f.textNode("not a " + type(schema));
    };
  }

  private static String type(JsonNode schema) {
    JsonNode t = schema.path("type");
    if (t.isArray() && !t.isEmpty()) {
      return t.get(0).asText();
    }
    if (t.isTextual()) {
      return t.asText();
    }
    return schema.has("properties") ? "object" : schema.has("items") ? "array" : "string";
  }

  private static JsonNode value(JsonNode schema, SplittableRandom r, int depth) {
    var f = MockServer.JSON.getNodeFactory();
    if (schema.has("const")) {
      return schema.get("const");
    }
    JsonNode choices = schema.path("enum");
    if (choices.isArray() && !choices.isEmpty()) {
      return choices.get(r.nextInt(choices.size()));
    }
    for (String branch : new String[] {"anyOf", "oneOf", "allOf"}) {
      if (schema.path(branch).isArray() && !schema.path(branch).isEmpty()) {
        return value(schema.path(branch).get(0), r, depth + 1);
      }
    }
    switch (type(schema)) {
      case "object" -> {
        ObjectNode o = f.objectNode();
        if (depth > 8) {
          return o;
        }
        JsonNode props = schema.path("properties");
        props.fieldNames().forEachRemaining(name -> o.set(name, value(props.get(name), r, depth + 1)));
        return o;
      }
      case "array" -> {
        ArrayNode a = f.arrayNode();
        int min = schema.path("minItems").asInt(1);
        int max = Math.max(min, schema.path("maxItems").asInt(min + 2));
        int n = depth > 8 ? min : min + r.nextInt(max - min + 1);
        for (int i = 0; i < n; i++) {
          a.add(value(schema.path("items"), r, depth + 1));
        }
        return a;
      }
      case "integer" -> {
        long lo = schema.path("minimum").asLong(1);
        long hi = schema.path("maximum").asLong(lo + 99);
        return f.numberNode(lo + r.nextLong(Math.max(1, hi - lo + 1)));
      }
      case "number" -> {
        double lo = schema.path("minimum").asDouble(0);
        double hi = schema.path("maximum").asDouble(lo + 100);
        return f.numberNode(Math.round((lo + r.nextDouble() * (hi - lo)) * 4) / 4.0);
      }
      case "boolean" -> {
        return f.booleanNode(r.nextBoolean());
      }
      case "null" -> {
        return f.nullNode();
      }
      default -> {
        StringBuilder s = new StringBuilder(WORDS[r.nextInt(WORDS.length)]);
        int min = schema.path("minLength").asInt(0);
        while (s.length() < min) {
          s.append(' ').append(WORDS[r.nextInt(WORDS.length)]);
        }
        int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
        return f.textNode(s.length() > max ? s.substring(0, max) : s.toString());
      }
    }
  }
}
