package llmbench.run;

import java.util.List;
import llmbench.results.LevelResult;

/** How a profile's simulation ended, told to whoever ran it (never through a global). */
public sealed interface ProfileOutcome {
  /** The levels ran; their results (summaries), in the order they ran. */
  record Completed(List<LevelResult> results) implements ProfileOutcome {}

  /** The profile cannot run on this server (e.g. it needs more context than the server has). */
  record Skipped(String reason) implements ProfileOutcome {}

  /** A mistake the user can fix, or a server that cannot be used: one line, nothing was measured. */
  record NotRun(String message) implements ProfileOutcome {}

  /** The run broke off (Gatling stopped, results could not be written). */
  record Failed(String message) implements ProfileOutcome {}
}
