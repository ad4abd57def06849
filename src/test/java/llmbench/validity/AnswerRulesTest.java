package llmbench.validity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import llmbench.openai.Answer;
import org.junit.jupiter.api.Test;

class AnswerRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
      + "\"days\":{\"type\":\"integer\",\"minimum\":1}},\"required\":[\"city\",\"days\"],\"additionalProperties\":false}";

  private static AnswerRules rules(String body) {
    return AnswerRules.of(body.getBytes(StandardCharsets.UTF_8));
  }

  private static AnswerRules.Verdict text(AnswerRules r, String text) {
    return r.judge(text, List.of());
  }

  @Test
  void aSchemaIsCheckedNotMerelyParsed() {
    AnswerRules r = rules("{\"model\":\"m\",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\","
        + "\"schema\":" + SCHEMA + "}}}");
    assertTrue(text(r, "{\"city\":\"Oslo\",\"days\":3}").valid());
    AnswerRules.Verdict parseableButWrong = text(r, "{\"city\":\"Oslo\",\"days\":\"three\"}");
    assertFalse(parseableButWrong.valid(), "parses, breaks the schema: what vLLM's benchmark would count as correct");
    assertTrue(parseableButWrong.why().startsWith("JSON that breaks the schema: "), parseableButWrong.why());
    assertTrue(parseableButWrong.why().contains("days"), parseableButWrong.why());
    assertFalse(text(r, "{\"city\":\"Oslo\"}").valid(), "a required property missing");
    assertFalse(text(r, "{\"city\":\"Oslo\",\"days\":0}").valid(), "below the minimum");
    assertFalse(text(r, "{\"city\":\"Oslo\",\"days\":2,\"x\":1}").valid(), "no other properties");
    assertEquals("not JSON", text(r, "{\"city\": \"Oslo\", \"da").why(), "cut short");
  }

  @Test
  void vllmsOwnFieldsAndJsonObjects() {
    assertTrue(text(rules("{\"structured_outputs\":{\"json\":" + SCHEMA + "}}"), "{\"city\":\"a\",\"days\":1}").valid());
    assertFalse(text(rules("{\"guided_json\":" + JSON.valueToTree(SCHEMA) + "}"), "{\"city\":\"a\"}").valid(),
        "the older guided_json, its schema given as a string");
    AnswerRules obj = rules("{\"response_format\":{\"type\":\"json_object\"}}");
    assertTrue(text(obj, " {\"anything\": [1]} ").valid());
    assertEquals("JSON, but not an object", text(obj, "[1,2]").why());
    AnswerRules regex = rules("{\"structured_outputs\":{\"regex\":\"\\\\d{3}-\\\\d{4}\"}}");
    assertTrue(text(regex, "555-1234").valid());
    assertEquals("does not match the regex", text(regex, "555-12345").why(), "the whole answer, not a part");
    AnswerRules choice = rules("{\"guided_choice\":[\"yes\",\"no\"]}");
    assertTrue(text(choice, "no").valid());
    assertEquals("not one of the choices", text(choice, "maybe").why());
  }

  @Test
  void toolCallsMustNameAnOfferedToolWithArgumentsOfItsSchema() {
    AnswerRules r = rules("{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
        + SCHEMA + "}}],\"tool_choice\":\"required\"}");
    java.util.function.Function<String, Answer.ToolCall> call = args -> new Answer.ToolCall("c1", "get_weather", args,
        Map.of());
    assertTrue(r.judge("", List.of(call.apply("{\"city\":\"Lima\",\"days\":2}"))).valid());
    assertTrue(r.judge("", List.of(call.apply("{\"city\":\"Lima\",\"days\":-2}"))).why()
        .startsWith("the arguments of get_weather break its parameters' schema: "));
    assertEquals("the arguments of get_weather are not a JSON object",
        r.judge("", List.of(call.apply("{\"city\":\"Li"))).why());
    assertEquals("a call of search, a tool it was not offered",
        r.judge("", List.of(new Answer.ToolCall("c2", "search", "{}", Map.of()))).why());
    assertEquals("no tool call, though tool_choice required one", r.judge("It is sunny.", List.of()).why());
    AnswerRules auto = rules("{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}]}");
    assertTrue(auto.judge("It is sunny.", List.of()).valid(), "auto: words are an answer too");
  }

  @Test
  void aBodyThatAsksNothingIsNotChecked() {
    assertSame(AnswerRules.NONE, rules("{\"model\":\"m\",\"prompt\":\"a response_format of tools\"}"));
    assertSame(AnswerRules.NONE, rules("{\"model\":\"m\",\"response_format\":{\"type\":\"text\"}}"));
    assertSame(AnswerRules.NONE, rules("not json \"tools\""));
  }

  @Test
  void aSchemaIsAJsonSchemaOrSaysWhyNot() throws Exception {
    assertNull(Schemas.notASchema(JSON.readTree(SCHEMA)));
    assertNull(Schemas.notASchema(JSON.readTree("{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"string\"}")));
    String why = Schemas.notASchema(JSON.readTree("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":5}}}"));
    assertTrue(why != null && why.contains("type"), why);
    assertEquals("a JSON Schema is an object (or true/false), not ARRAY", Schemas.notASchema(JSON.readTree("[1]")));
    assertTrue(Schemas.notASchema(JSON.readTree("{\"minLength\":-1}")) != null, "a length below 0");
    long t0 = System.nanoTime();
    String remote = Schemas.notASchema(JSON.readTree("{\"$ref\":\"https://schemas.example.invalid/person.json\"}"));
    assertTrue(remote != null && remote.startsWith("it cannot be applied offline ("), remote);
    assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "refused at once, nothing fetched");
  }
}
