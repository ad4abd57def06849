package llmbench.gatling.sweep;

import java.util.concurrent.atomic.AtomicReference;
import llmbench.run.ProfileJob;
import llmbench.run.ProfileOutcome;

/**
 * The one hand-over between {@link GatlingLauncher} and the simulation Gatling builds by reflection
 * (no constructor arguments): the launcher puts the profile's job here before it starts Gatling (the
 * sweep's server facts, its shard barrier, its Ctrl-C hook: live objects no system property can carry),
 * the simulation's {@link LlmSweep} takes it when it is built and leaves the outcome, which the launcher
 * takes back. Everything else of the run crosses through the LLM protocol Gatling opens. Empty under
 * {@code mvn gatling:test}, where the sweep reads {@code -Dllm.*} instead. Gatling runs one simulation
 * at a time per JVM, and so does the launcher (Gatling wiring, like its own).
 */
final class HandOver {
  private static final AtomicReference<ProfileJob> JOB = new AtomicReference<>();
  private static final AtomicReference<ProfileOutcome> OUTCOME = new AtomicReference<>();

  private HandOver() {}

  static void give(ProfileJob job) {
    OUTCOME.set(null);
    if (!JOB.compareAndSet(null, job)) {
      throw new IllegalStateException("a simulation is already running in this JVM");
    }
  }

  /** The launcher's job, once; null when the simulation was started by Gatling's own launcher. */
  static ProfileJob take() {
    return JOB.getAndSet(null);
  }

  static void report(ProfileOutcome outcome) {
    OUTCOME.set(outcome);
  }

  /** The outcome the simulation left, once; the job is withdrawn if it was never taken. */
  static ProfileOutcome outcome() {
    JOB.set(null);
    return OUTCOME.getAndSet(null);
  }
}
