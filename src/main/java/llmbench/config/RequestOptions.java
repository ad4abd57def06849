package llmbench.config;

import java.nio.file.Path;
import llmbench.cancel.Cancellation;
import llmbench.prompt.Adapters;
import llmbench.prompt.BodyFields;
import llmbench.validity.AnswerShape;
import picocli.CommandLine.Option;

/**
 * Requests as production sends them, a mixin of {@link RunOptions}: the answer's shape (a JSON Schema,
 * a regex, a choice, tool calls), checked on every answer; LoRA adapters the requests are spread over;
 * streams the client cancels early.
 */
public final class RequestOptions {
  @Option(names = "--response-format", paramLabel = "KIND[:ARG]", description = "The shape every answer must take, "
      + "each answer checked against it: json_schema:FILE (a JSON Schema), json_object, regex:PATTERN or choice:A,B,C "
      + "(vLLM's structured_outputs). No output length is forced on a shaped answer (no ignore_eos, no min_tokens).")
  String responseFormat;
  @Option(names = "--tools", paramLabel = "FILE", description = "Tools every chat request offers (a JSON array of "
      + "OpenAI tools); each tool call's arguments are checked against its parameters' schema.")
  Path tools;
  @Option(names = "--tool-choice", description = "With --tools: auto (default), required, none, or a tool's name.")
  String toolChoice;
  @Option(names = "--lora-modules", paramLabel = "A,B,C|A:W,B:W", description = "LoRA adapters the requests ask for "
      + "as their model, each level's results per adapter beside its own; weights (a:0.5,b:0.3,c:0.2) draw them at random.")
  String loraModules;
  @Option(names = "--lora-assignment", description = "round-robin (default) or random (seeded by --seed; the default "
      + "with weights).")
  String loraAssignment;
  @Option(names = "--cancel-rate", paramLabel = "X", description = "Close this share of the streams early, e.g. 0.25 or "
      + "25%% (evenly spread; warm-up requests never): counted apart, never as failures, in no latency statistic.")
  String cancelRate;
  @Option(names = "--cancel-after-tokens", paramLabel = "N", description = "With --cancel-rate: close a stream after N "
      + "chunks of its answer.")
  Integer cancelAfterTokens;
  @Option(names = "--cancel-after", paramLabel = "D", description = "With --cancel-rate: close a stream this long after "
      + "it was sent, e.g. 500ms, 2s.")
  String cancelAfter;

  /** The run's extra fields with the answer's shape and the tools added. */
  BodyFields fields(BodyFields extra, boolean chat) {
    if (tools != null && !chat) {
      throw new IllegalArgumentException("--tools are offered in chat requests: give --endpoint chat");
    }
    BodyFields f = extra.with(AnswerShape.fields(responseFormat, null, null), "--response-format");
    return f.with(AnswerShape.fields(null, tools, toolChoice), "--tools");
  }

  Adapters adapters(long seed, int turns) {
    if (loraModules != null && turns > 1) {
      throw new IllegalArgumentException("--lora-modules spreads single requests over adapters: leave out --turns");
    }
    return Adapters.parse(loraModules, loraAssignment, seed);
  }

  Cancellation cancellation() {
    if (cancelRate == null) {
      if (cancelAfterTokens != null || cancelAfter != null) {
        throw new IllegalArgumentException((cancelAfter != null ? "--cancel-after" : "--cancel-after-tokens")
            + " says when to cancel the streams of --cancel-rate: give --cancel-rate X");
      }
      return Cancellation.NONE;
    }
    if (cancelAfterTokens != null && cancelAfterTokens < 1) {
      throw new IllegalArgumentException("--cancel-after-tokens must be 1 or more, not " + cancelAfterTokens);
    }
    double rate = llmbench.mock.MockOptions.share(cancelRate);
    if (!(rate > 0 && rate <= 1)) {
      throw new IllegalArgumentException("--cancel-rate: '" + cancelRate + "' is not a share above 0 and at most 1 "
          + "(e.g. 0.25 or 25%)");
    }
    return new Cancellation(rate, cancelAfterTokens == null ? 0 : cancelAfterTokens,
        cancelAfter == null ? null : llmbench.stop.StopRules.duration("--cancel-after", cancelAfter));
  }
}
