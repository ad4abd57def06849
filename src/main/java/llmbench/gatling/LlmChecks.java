package llmbench.gatling;

import io.gatling.javaapi.core.CheckBuilder;
import llmbench.gatling.llm.AnswerChecks;
import llmbench.openai.Answer;

/**
 * Checks on a finished LLM answer, in Gatling's style: {@code LlmChecks.completionTokens().is(150)},
 * {@code LlmChecks.finishReason().in("length", "stop")}, {@code LlmChecks.text().saveAs("reply")}.
 * Gatling's own {@code jsonPath(...)} and {@code jmesPath(...)} read the final chunk (the last with a
 * choice, with the stream's usage), {@code bodyString()}, {@code substring(...)} and {@code regex(...)}
 * the answer's text. A failed check makes the request KO with its words.
 */
public final class LlmChecks {
  private LlmChecks() {}

  /** The HTTP status. */
  public static CheckBuilder.Find<Integer> status() {
    return AnswerChecks.find("status", Integer.class, Answer::status);
  }

  /** The answer's text (thinking left out). */
  public static CheckBuilder.Find<String> text() {
    return AnswerChecks.find("text", String.class, Answer::text);
  }

  /** The thinking of a reasoning model ("" for none). */
  public static CheckBuilder.Find<String> reasoning() {
    return AnswerChecks.find("reasoning", String.class, Answer::reasoning);
  }

  /** The last finish reason the stream gave ({@code length}, {@code stop}, {@code tool_calls}...). */
  public static CheckBuilder.Find<String> finishReason() {
    return AnswerChecks.find("finishReason", String.class, Answer::finishReason);
  }

  /** {@code usage.prompt_tokens}; found only when the stream gave usage. */
  public static CheckBuilder.Find<Integer> promptTokens() {
    return AnswerChecks.find("promptTokens", Integer.class, a -> a.promptTokens() < 0 ? null : a.promptTokens());
  }

  /** {@code usage.completion_tokens}; found only when the stream gave usage. */
  public static CheckBuilder.Find<Integer> completionTokens() {
    return AnswerChecks.find("completionTokens", Integer.class,
        a -> a.completionTokens() < 0 ? null : a.completionTokens());
  }

  /** How many tool calls the answer holds. */
  public static CheckBuilder.Find<Integer> toolCalls() {
    return AnswerChecks.find("toolCalls", Integer.class, a -> a.toolCalls().size());
  }

  /** The name of the first tool call; found only when there is one. */
  public static CheckBuilder.Find<String> toolName() {
    return AnswerChecks.find("toolName", String.class, a -> a.toolCalls().isEmpty() ? null : a.toolCalls().get(0).name());
  }
}
