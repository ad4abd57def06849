package llmbench.results;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;

/** vLLM's {@code request_rate}: a number of requests per second, or the word {@code "inf"}. */
final class RequestRate {
  private RequestRate() {}

  static final class Reader extends JsonDeserializer<Double> {
    @Override
    public Double deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        String t = p.getText().trim();
        return t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("infinity") ? Double.POSITIVE_INFINITY : Double.valueOf(t);
      }
      return p.getDoubleValue();
    }
  }
}
