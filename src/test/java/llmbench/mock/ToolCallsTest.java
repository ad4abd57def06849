package llmbench.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The mock's tool calls: when it makes one, of which tool, with arguments its schema allows, cut into tokens. */
class ToolCallsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"search\",\"parameters\":{}}},"
      + "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
      + "\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"},\"unit\":{\"enum\":[\"C\",\"F\"]}},"
      + "\"required\":[\"city\",\"days\",\"unit\"]}}}]";

  private static JsonNode body(String messages, String choice) throws Exception {
    return JSON.readTree("{\"messages\":" + messages + ",\"tools\":" + TOOLS + (choice == null ? "" : ",\"tool_choice\":" + choice) + "}");
  }

  @Test
  void theNamedToolIsCalledWithArgumentsOfItsSchemaStreamedAsTokensThatJoinToThem() throws Exception {
    ToolCalls.Call c = ToolCalls.of(body("[{\"role\":\"user\",\"content\":\"hi\"}]",
        "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"), "9", 42, false);
    assertEquals("get_weather", c.name());
    assertEquals("chatcmpl-tool-9", c.id());
    JsonNode args = JSON.readTree(c.arguments());
    assertTrue(args.get("city").isTextual());
    assertTrue(args.get("days").isInt() && args.get("days").asInt() >= 1 && args.get("days").asInt() <= 100);
    assertTrue(args.get("unit").asText().matches("[CF]"));
    assertEquals(c.arguments(), String.join("", c.pieces()));
    assertTrue(c.pieces().size() > 5, "a token at a time: " + c.pieces());
  }

  @Test
  void noCallAfterAToolsResultOrWhenToldNone() throws Exception {
    assertEquals("search", ToolCalls.of(body("[{\"role\":\"user\",\"content\":\"hi\"}]", null), "1", 1, false).name(),
        "the first tool unless one is named");
    assertNull(ToolCalls.of(body("[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"tool\",\"content\":\"ok\"}]", null), "1", 1, false));
    assertNull(ToolCalls.of(body("[{\"role\":\"user\",\"content\":\"hi\"}]", "\"none\""), "1", 1, false));
    assertNull(ToolCalls.of(JSON.readTree("{\"messages\":[]}"), "1", 1, false));
  }

  @Test
  void aToolAnswersWhatItWasAsked() {
    JsonNode a = ToolCalls.answer("/tools/weather?city=Lima&days=2");
    assertEquals("weather", a.get("tool").asText());
    assertEquals("Lima", a.get("arguments").get("city").asText());
    assertTrue(a.get("result").asText().matches("(sunny|rain), \\d+ °C"));
  }
}
