package llmbench.validity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerShapeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String refused(String rf, Path tools, String choice) {
    return assertThrows(IllegalArgumentException.class, () -> AnswerShape.fields(rf, tools, choice)).getMessage();
  }

  @Test
  void eachKindBecomesTheFieldsServersRead(@TempDir Path dir) throws Exception {
    Path schema = Files.writeString(dir.resolve("person.json"), "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}");
    JsonNode f = AnswerShape.fields("json_schema:" + schema, null, null);
    assertEquals("json_schema", f.at("/response_format/type").asText());
    assertEquals("person", f.at("/response_format/json_schema/name").asText());
    assertEquals(JSON.readTree(Files.readString(schema)), f.at("/response_format/json_schema/schema"));
    assertEquals(JSON.readTree("{\"response_format\":{\"type\":\"json_object\"}}"), AnswerShape.fields("json_object", null, null));
    assertEquals(JSON.readTree("{\"structured_outputs\":{\"regex\":\"a+b\"}}"), AnswerShape.fields("regex:a+b", null, null));
    assertEquals(JSON.readTree("{\"structured_outputs\":{\"choice\":[\"yes\",\"no\"]}}"),
        AnswerShape.fields("choice:yes, no", null, null));
    Path tools = Files.writeString(dir.resolve("tools.json"), "[{\"type\":\"function\",\"function\":{\"name\":\"f\","
        + "\"parameters\":{\"type\":\"object\"}}}]");
    JsonNode t = AnswerShape.fields(null, tools, "f");
    assertEquals("f", t.at("/tools/0/function/name").asText());
    assertEquals(JSON.readTree("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}"), t.get("tool_choice"));
    assertEquals("required", AnswerShape.fields(null, tools, "required").get("tool_choice").asText());
  }

  @Test
  void mistakesAreOneLineNamingTheOption(@TempDir Path dir) throws Exception {
    Path notSchema = Files.writeString(dir.resolve("bad.json"), "{\"type\":\"object\",\"required\":\"name\"}");
    String why = refused("json_schema:" + notSchema, null, null);
    assertTrue(why.startsWith("--response-format json_schema:" + notSchema + " is not a JSON Schema: "), why);
    assertTrue(refused("json_schema:" + dir.resolve("none.json"), null, null).contains("cannot read the file"));
    assertEquals("--response-format must be json_schema:FILE, json_object, regex:PATTERN or choice:A,B,C, not 'yaml'",
        refused("yaml", null, null));
    assertTrue(refused("regex:(", null, null).startsWith("--response-format regex:( is not a regex: "));
    Path tools = Files.writeString(dir.resolve("t.json"), "[{\"type\":\"function\",\"function\":{\"name\":\"f\","
        + "\"parameters\":{\"type\":\"objekt\"}}}]");
    assertTrue(refused(null, tools, null).startsWith("--tools " + tools + ": the parameters of f are not a JSON Schema"));
    Path ok = Files.writeString(dir.resolve("ok.json"), "{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}");
    assertEquals("--tool-choice g: no tool of that name in --tools (or use auto, required, none)", refused(null, ok, "g"));
    assertEquals("--tool-choice chooses among --tools: give the tools too", refused(null, null, "auto"));
  }
}
