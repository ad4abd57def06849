package llmbench.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import llmbench.gatlinglog.SimulationLog;
import llmbench.trace.FailureKinds;
import llmbench.trace.RequestRecord;

/**
 * Why Gatling failed a stream before its answer began, from simulation.log: a request that got no
 * byte is matched to the failed {@code connect} record of its level that started at the same time
 * (simulation.log has no request id), whose message holds the HTTP status or the connection's error.
 */
final class GatlingFailures {
  private static final long TOLERANCE_MS = 20;

  private record Failed(long startEpochMs, String message) {}

  private final Map<String, List<Failed>> byLevel = new HashMap<>();

  GatlingFailures(SimulationLog.Contents log) {
    if (log == null) {
      return;
    }
    long t0 = log.run().startEpochMs();
    for (SimulationLog.Request r : log.requests()) {
      if (!r.ok() && r.name().equals(GatlingNames.CONNECT) && !r.groups().isEmpty() && r.message() != null) {
        String level = r.groups().get(0).split(" ")[0];
        byLevel.computeIfAbsent(level, k -> new ArrayList<>()).add(new Failed(t0 + r.startMs(), r.message()));
      }
    }
  }

  /** The record, with a more precise error when it is one of those; each connect record is used once. */
  RequestRecord refine(RequestRecord r) {
    if (!FailureKinds.NO_ANSWER.equals(r.error())) {
      return r;
    }
    List<Failed> candidates = byLevel.getOrDefault(r.level(), List.of());
    Failed best = null;
    for (Failed f : candidates) {
      long d = Math.abs(f.startEpochMs() - r.startEpochMs());
      if (d <= TOLERANCE_MS && (best == null || d < Math.abs(best.startEpochMs() - r.startEpochMs()))) {
        best = f;
      }
    }
    if (best == null) {
      return r;
    }
    candidates.remove(best);
    return r.failedWith(FailureKinds.fromGatling(best.message()));
  }
}
