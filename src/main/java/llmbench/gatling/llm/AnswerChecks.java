package llmbench.gatling.llm;

import io.gatling.commons.validation.Failure;
import io.gatling.commons.validation.Success;
import io.gatling.commons.validation.Validation;
import io.gatling.core.check.Check;
import io.gatling.core.check.CheckMaterializer;
import io.gatling.core.check.Extractor;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.internal.CoreCheckType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import llmbench.openai.Answer;

/**
 * Gatling's checks on a finished LLM answer, as Gatling's JMS plugin runs them on a message: each
 * check type gets what it reads from the answer. {@code jsonPath} and {@code jmesPath} read the final
 * chunk (the last with a choice, with the stream's usage); {@code bodyString}, {@code substring} and
 * {@code regex} the answer's text; {@code LlmChecks} the answer itself. Everything Gatling's checks do
 * follows ({@code is}, {@code lt}, {@code saveAs}, {@code transform}...).
 */
public final class AnswerChecks {
  /** The type of the checks on the answer itself ({@code LlmChecks}). */
  public enum Kind implements CheckBuilder.CheckType { ANSWER }

  /** The Scala-side type parameter of those checks (a marker, as Gatling's own check types are). */
  public interface AnswerCheckType {}

  private AnswerChecks() {}

  /**
   * A check on the answer: {@code extract} reads a value from it (null: found none), as {@code name}
   * (the check's words in a failure).
   */
  public static <X> CheckBuilder.Find<X> find(String name, Class<X> type, Function<Answer, X> extract) {
    Extractor<Answer, X> extractor = new Extractor<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String arity() {
        return "find";
      }

      @Override
      public Validation<scala.Option<X>> apply(Answer answer) {
        return new Success<>(scala.Option.apply(extract.apply(answer)));
      }
    };
    io.gatling.core.check.CheckBuilder.Find<AnswerCheckType, Answer, X> scala =
        new io.gatling.core.check.CheckBuilder$Find$Default<>(session -> new Success<>(extractor), true);
    return new CheckBuilder.Find.Default<>(scala, Kind.ANSWER, type, null);
  }

  @SuppressWarnings("unchecked")
  private static Validation<Object> failure(String message) {
    return (Validation<Object>) (Validation<?>) new Failure(message);
  }

  /** The Scala checks of a request's Java checks; a type that reads no answer is a one-line error naming the request. */
  static scala.collection.immutable.List<Check<Answer>> materialize(String request, List<CheckBuilder> checks) {
    List<Check<Answer>> out = new ArrayList<>();
    for (CheckBuilder c : checks) {
      out.add(materialize(request, c));
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(out).toList();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Check<Answer> materialize(String request, CheckBuilder c) {
    CheckBuilder.CheckType type = c.type();
    Function<Answer, Validation<Object>> prepare;
    if (type == Kind.ANSWER) {
      prepare = Success::new;
    } else if (type == CoreCheckType.BodyString || type == CoreCheckType.Substring || type == CoreCheckType.Regex) {
      prepare = a -> new Success<>(a.text());
    } else if (type == CoreCheckType.JsonPath || type == CoreCheckType.JmesPath) {
      prepare = a -> a.finalChunk() != null ? new Success<>(a.finalChunk())
          : failure("the answer has no chunk with a choice for " + type + " to read");
    } else if (type == CoreCheckType.BodyBytes) {
      prepare = a -> new Success<>(a.text().getBytes(StandardCharsets.UTF_8));
    } else if (type == CoreCheckType.BodyLength) {
      prepare = a -> new Success<>(a.text().getBytes(StandardCharsets.UTF_8).length);
    } else {
      throw new IllegalArgumentException("llm(\"" + request + "\"): a " + type + " check does not read an LLM answer; "
          + "use LlmChecks, jsonPath or jmesPath (the final chunk), bodyString, substring or regex (the text)");
    }
    CheckMaterializer m = new CheckMaterializer<Object, Check<Answer>, Answer, Object>(check -> check) {
      @Override
      public scala.Function1<Answer, Validation<Object>> preparer() {
        return prepare::apply;
      }
    };
    return (Check<Answer>) ((io.gatling.core.check.CheckBuilder) c.asScala()).build(m);
  }
}
