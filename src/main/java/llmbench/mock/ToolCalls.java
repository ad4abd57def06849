package llmbench.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tool calls, as a served model makes them when a chat request offers {@code tools}: unless the last
 * message is a tool's result (the model then answers in words), or {@code tool_choice} is {@code none},
 * the answer is one call of the chosen tool (the named one, else the first), its arguments drawn from
 * the tool's parameter schema and streamed a token at a time; and the tools themselves, as an agent
 * would call them over HTTP ({@code GET /tools/NAME?ARG=VALUE}).
 */
final class ToolCalls {
  private static final String[] CITIES = {"Paris", "Lisbon", "Osaka", "Lima", "Nairobi", "Oslo"};
  private static final Pattern PIECES = Pattern.compile("[A-Za-z]+|\\d+|\\s+|[^A-Za-z\\d\\s]+");

  /** The call a request gets: its id, function and arguments as JSON, cut into the tokens it is streamed in. */
  record Call(String id, String name, String arguments, List<String> pieces) {}

  private ToolCalls() {}

  /** The call the model makes to this request, or null when it answers in words. */
  static Call of(JsonNode body, String id, long seed) {
    JsonNode tools = body.path("tools");
    JsonNode messages = body.path("messages");
    if (!tools.isArray() || tools.isEmpty() || "none".equals(body.path("tool_choice").asText())
        || messages.isArray() && !messages.isEmpty() && "tool".equals(messages.get(messages.size() - 1).path("role").asText())) {
      return null;
    }
    String wanted = body.path("tool_choice").path("function").path("name").asText(null);
    JsonNode tool = tools.get(0);
    for (JsonNode t : tools) {
      if (t.path("function").path("name").asText().equals(wanted)) {
        tool = t;
      }
    }
    JsonNode fn = tool.path("function");
    ObjectNode args = MockServer.JSON.createObjectNode();
    JsonNode props = fn.path("parameters").path("properties");
    List<String> names = new ArrayList<>();
    fn.path("parameters").path("required").forEach(r -> names.add(r.asText()));
    if (names.isEmpty()) {
      props.fieldNames().forEachRemaining(names::add);
    }
    int k = 0;
    for (String name : names) {
      JsonNode schema = props.path(name);
      long pick = Math.abs(seed + 31L * k++);
      switch (schema.path("type").asText("string")) {
        case "integer" -> args.put(name, (int) (pick % 10) + 1);
        case "number" -> args.put(name, (pick % 100) / 4.0);
        case "boolean" -> args.put(name, pick % 2 == 0);
        default -> {
          if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            args.set(name, schema.path("enum").get((int) (pick % schema.path("enum").size())));
          } else {
            args.put(name, CITIES[(int) (pick % CITIES.length)]);
          }
        }
      }
    }
    String json = args.toString();
    List<String> pieces = new ArrayList<>();
    Matcher m = PIECES.matcher(json);
    while (m.find()) {
      pieces.add(m.group());
    }
    return new Call("chatcmpl-tool-" + id, fn.path("name").asText("tool"), json, pieces);
  }

  /** A tool's answer to {@code GET /tools/NAME?...}: what it was asked and a result, as JSON. */
  static ObjectNode answer(String uri) {
    QueryStringDecoder q = new QueryStringDecoder(uri);
    String name = q.path().substring("/tools/".length());
    ObjectNode out = MockServer.JSON.createObjectNode().put("tool", name);
    ObjectNode asked = out.putObject("arguments");
    for (Map.Entry<String, List<String>> e : q.parameters().entrySet()) {
      asked.put(e.getKey(), String.join(",", e.getValue()));
    }
    int h = Math.abs(uri.hashCode());
    return out.put("result", name.contains("weather") ? (h % 2 == 0 ? "sunny" : "rain") + ", " + (h % 25 + 5) + " °C"
        : "done");
  }
}
