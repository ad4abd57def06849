package llmbench.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import llmbench.validity.Schemas;
import org.junit.jupiter.api.Test;

/** The mock's shaped answers, judged by the JSON Schema validator the client uses: conforming, or (the fault) not. */
class SchemaAnswersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"minLength\":3},"
      + "\"age\":{\"type\":\"integer\",\"minimum\":18,\"maximum\":99},\"tags\":{\"type\":\"array\",\"items\":{\"enum\":"
      + "[\"x\",\"y\"]},\"minItems\":1},\"ok\":{\"type\":\"boolean\"},\"score\":{\"type\":\"number\"}},"
      + "\"required\":[\"name\",\"age\"],\"additionalProperties\":false}";

  @Test
  void anInstanceConformsAndABrokenOneParsesButDoesNot() throws Exception {
    JsonNode schema = JSON.readTree(SCHEMA);
    for (long seed = 0; seed < 50; seed++) {
      JsonNode good = SchemaAnswers.instance(schema, seed);
      assertEquals(java.util.List.of(), Schemas.errors(schema, good), good.toString());
      String bad = SchemaAnswers.broken(schema, seed).toString();
      assertFalse(Schemas.errors(schema, JSON.readTree(bad)).isEmpty(), bad);
      assertEquals(bad, String.join("", SchemaAnswers.pieces(bad)), "its tokens join to it");
    }
  }

  @Test
  void aBodyAsksItsShape() throws Exception {
    JsonNode body = JSON.readTree("{\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":" + SCHEMA + "}}}");
    JsonNode answer = JSON.readTree(String.join("", SchemaAnswers.forBody(body, 3, false)));
    assertTrue(Schemas.errors(JSON.readTree(SCHEMA), answer).isEmpty());
    assertEquals("yes", String.join("", SchemaAnswers.forBody(JSON.readTree("{\"structured_outputs\":{\"choice\":[\"yes\"]}}"),
        5, false)));
    assertTrue(JSON.readTree(String.join("", SchemaAnswers.forBody(JSON.readTree("{\"response_format\":{\"type\":"
        + "\"json_object\"}}"), 5, false))).isObject());
    assertEquals(null, SchemaAnswers.forBody(JSON.readTree("{\"prompt\":\"hi\"}"), 5, false));
  }
}
