package llmbench.gatling.llm;

import io.gatling.javaapi.core.Session;
import java.util.List;
import java.util.function.Supplier;
import llmbench.trace.RequestRecord;

/**
 * What a run of the LLM protocol does around each request: the context its record is written with,
 * when it goes, what the session keeps after it, where the records go and what happens at the run's
 * end. A user's simulation ({@link SimulationRun}) writes its records into its Gatling run folder and
 * vLLM's results per request name; the seed's sweep adds its levels, schedules and sessions.
 */
public interface LlmRun {
  /** Makes a run's state once Gatling builds the protocol's components. */
  interface Factory {
    LlmRun start(LlmComponents components);
  }

  /**
   * A request's context in its record.
   *
   * @param level the key the results are grouped by (a sweep's level label, or a request name within its groups)
   * @param dueNs open model: when the request is due ({@code System.nanoTime}); 0 to send it at once
   * @param readyNs open model: when it could go (due, or a user free later); 0 in a closed level
   */
  record Context(String profile, String level, int concurrency, int inputLen, int outputLen, long dueNs,
      long readyNs, long session, int turn) {}

  /** The context of the request {@code name} the user is about to send in its {@code groups}. */
  Context context(Session session, String name, List<String> groups);

  /**
   * Asked as a request is about to go (a rate level's at its due time): false when the run no longer
   * wants it (a sweep's level stopped by its rules); the user then passes on, nothing sent or recorded.
   */
  default boolean sends(Context ctx) {
    return true;
  }

  /** Queues a finished request's record (built off the event loop); never blocks. */
  void record(Supplier<RequestRecord> record);

  /** The session once a request's answer ended (a sweep's chat sessions keep the conversation). */
  default Session answered(Session session, llmbench.trace.StreamRecorder recorder, RequestRecord decoded) {
    return session;
  }

  /** True when {@link #answered} needs the request's record decoded on the event loop. */
  default boolean needsRecordAtOnce(Session session) {
    return false;
  }

  /** What the console learns as streams run. */
  default StreamWatch watch() {
    return StreamWatch.NONE;
  }

  /** A new request id, unique in the run. */
  String nextId();

  /** The run is over (Gatling closed simulation.log): the records are written out and the results made. */
  void end();
}
