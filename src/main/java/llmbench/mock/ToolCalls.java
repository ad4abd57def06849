package llmbench.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/**
 * Tool calls, as a served model makes them when a chat request offers {@code tools}: unless the last
 * message is a tool's result (the model then answers in words), or {@code tool_choice} is {@code none},
 * the answer is one call of the chosen tool (the named one, else the first), its arguments drawn from
 * the tool's parameter schema ({@link SchemaAnswers}; breaking it under the {@code invalid} fault) and
 * streamed a token at a time; and the tools themselves, as an agent
 * would call them over HTTP ({@code GET /tools/NAME?ARG=VALUE}).
 */
final class ToolCalls {

  /** The call a request gets: its id, function and arguments as JSON, cut into the tokens it is streamed in. */
  record Call(String id, String name, String arguments, List<String> pieces) {}

  private ToolCalls() {}

  /** The call the model makes to this request, or null when it answers in words. */
  static Call of(JsonNode body, String id, long seed, boolean broken) {
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
    JsonNode params = fn.path("parameters");
    String json = (broken ? SchemaAnswers.broken(params, seed) : SchemaAnswers.instance(params, seed)).toString();
    List<String> pieces = SchemaAnswers.pieces(json);
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
