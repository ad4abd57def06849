package llmbench.gatling;

import io.gatling.commons.validation.Failure;
import io.gatling.commons.validation.Success;
import io.gatling.commons.validation.Validation;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.internal.Expressions;
import java.util.function.Function;

/**
 * Gatling's expression language for the DSL's arguments, as Gatling's own DSLs take them: a String is
 * EL ({@code "#{prompt}"}, compiled once; one without {@code #{} is a constant), a function reads the
 * session. A value EL cannot find is an error with Gatling's words (the request is a KO).
 */
final class El {
  private El() {}

  static Function<Session, String> string(String el) {
    if (el == null) {
      throw new IllegalArgumentException("null is not a value: give a string, EL such as \"#{prompt}\", or a function");
    }
    if (!el.contains("#{")) {
      return s -> el;
    }
    var e = Expressions.toStringExpression(el);
    return s -> value(e.apply(s.asScala()));
  }

  static Function<Session, Integer> integer(String el) {
    var e = Expressions.toIntExpression(el);
    return s -> (Integer) value(e.apply(s.asScala()));
  }

  /** Any value: a String, a number, a saved answer, a list... as the session holds it. */
  static Function<Session, Object> any(String el) {
    if (!el.contains("#{")) {
      return s -> el;
    }
    var e = Expressions.toAnyExpression(el);
    return s -> value(e.apply(s.asScala()));
  }

  static <T> Function<Session, T> constant(T value) {
    return s -> value;
  }

  private static <T> T value(Validation<T> v) {
    if (v instanceof Success<T> ok) {
      return ok.value();
    }
    throw new IllegalArgumentException(((Failure) v).message());
  }
}
