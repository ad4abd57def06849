package llmbench.gatling.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A check on a finished answer, as Gatling's checks are on responses: a simulation asserts on what
 * the server answered (its status, the usage's token counts, the text, a field of the final chunk);
 * a failed check makes the request KO with the check's words. Checks run after the answer ended, so
 * the timing never waits on them.
 */
public record AnswerCheck(String description, Predicate<Answer> test) {
  /**
   * What a check sees: the status, the usage's counts (-1: none), the text, and the final chunk (the
   * last with a choice: its finish reason, logprobs).
   */
  public record Answer(int status, int promptTokens, int completionTokens, String text, JsonNode finalChunk) {}

  public static AnswerCheck status(int expected) {
    return new AnswerCheck("status is " + expected, a -> a.status() == expected);
  }

  public static AnswerCheck completionTokens(int expected) {
    return new AnswerCheck("usage.completion_tokens is " + expected, a -> a.completionTokens() == expected);
  }

  public static AnswerCheck promptTokens(int expected) {
    return new AnswerCheck("usage.prompt_tokens is " + expected, a -> a.promptTokens() == expected);
  }

  public static AnswerCheck textContains(String part) {
    return new AnswerCheck("text contains \"" + part + "\"", a -> a.text() != null && a.text().contains(part));
  }

  /** A field of the final chunk, by JSON pointer (e.g. {@code /choices/0/finish_reason}), as text. */
  public static AnswerCheck finalChunk(String pointer, String expected) {
    return new AnswerCheck(pointer + " of the final chunk is " + expected, a -> a.finalChunk() != null
        && !a.finalChunk().at(pointer).isMissingNode() && Objects.equals(a.finalChunk().at(pointer).asText(), expected));
  }
}
