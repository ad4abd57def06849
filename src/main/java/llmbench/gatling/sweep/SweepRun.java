package llmbench.gatling.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gatling.javaapi.core.Session;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import llmbench.diagnosis.ClientDiagnosis;
import llmbench.gatling.llm.LlmComponents;
import llmbench.gatling.llm.LlmRun;
import llmbench.gatling.llm.RunFolders;
import llmbench.gatling.llm.StreamWatch;
import llmbench.report.LiveProgress;
import llmbench.run.ProfileOutcome;
import llmbench.run.ProfileRun;
import llmbench.trace.RequestRecord;
import llmbench.trace.StreamRecorder;
import llmbench.workload.LevelPlan;

/**
 * The sweep's run of the LLM protocol: each request's record carries its level, users, requested
 * lengths, schedule and chat session; a chat session's next turn re-sends the conversation so far;
 * the console's live line follows the chunks; and when Gatling ends, the profile's results are made
 * as the scripts write them and told to whoever launched the run.
 */
final class SweepRun implements LlmRun {
  private final LlmSweep sweep;
  private final ProfileRun run;
  private final Levels levels;
  private final StreamWatch watch;
  private final AtomicLong ids = new AtomicLong();

  SweepRun(LlmSweep sweep, ProfileRun run, Levels levels, LlmComponents components) {
    this.sweep = sweep;
    this.run = run;
    this.levels = levels;
    this.watch = watch(run.progress(), run.diagnosis);
    run.sink.onFailure(components::crash);
  }

  /** The live line learns of each chunk and of each request waiting for its response headers; the self-check of each chunk. */
  static StreamWatch watch(LiveProgress progress, ClientDiagnosis diagnosis) {
    return new StreamWatch() {
      @Override
      public void waiting(int delta) {
        if (progress != null) {
          progress.waiting(delta);
        }
      }

      @Override
      public void sent(long sinceStartNs, boolean afterConnect) {
        diagnosis.requestSent(sinceStartNs, afterConnect);
      }

      @Override
      public void chunk(boolean first) {
        if (progress != null) {
          progress.chunk();
        }
        diagnosis.chunkRead(first);
      }
    };
  }

  @Override
  public Context context(Session session, String name, List<String> groups) {
    LevelPlan l = levels.level(session);
    LlmSweep.Fed fed = session.contains(LlmSweep.REQUEST) ? session.get(LlmSweep.REQUEST) : null;
    Integer cap = l.open() ? l.schedule().maxConcurrency() : null;
    int users = !l.open() ? l.concurrency() : cap == null ? 0 : cap;
    boolean turns = l.turns() > 1;
    return new Context(run.plan.profile(), l.label(), users, l.inputLen(), l.outputLen(),
        fed == null ? 0 : fed.dueNs(), fed == null ? 0 : fed.readyNs(),
        turns ? session.getLong(Levels.SESSION) : 0, turns ? session.getInt(Levels.TURN) + 1 : 0);
  }

  /** A level stopped by --max-error-rate or --max-duration sends nothing more, even what was due before. */
  @Override
  public boolean sends(Context ctx) {
    return run.climb.goOn(ctx.level());
  }

  @Override
  public void record(Supplier<RequestRecord> record) {
    run.sink.submit(record);
  }

  @Override
  public boolean needsRecordAtOnce(Session session) {
    return levels.level(session).turns() > 1;
  }

  /** A chat session's turn: the user message and the answer join the conversation the next turn re-sends. */
  @Override
  public Session answered(Session session, StreamRecorder recorder, RequestRecord decoded) {
    if (decoded != null && levels.level(session).turns() > 1) {
      ArrayNode history = session.get(Levels.HISTORY);
      LlmSweep.Fed fed = session.get(LlmSweep.REQUEST);
      history.addObject().put("role", "user").put("content", fed.message());
      history.addObject().put("role", "assistant").put("content", decoded.generatedText());
    }
    return session;
  }

  @Override
  public StreamWatch watch() {
    return watch;
  }

  @Override
  public String nextId() {
    return run.runTag + "-" + ids.incrementAndGet();
  }

  /** Gatling ended the run: its folder gets the records, and the profile's results are made. */
  @Override
  public void end() {
    try {
      Path results = run.config.output().gatlingResults();
      Path dir = RunFolders.find(results, sweep.simulation(), sweep.builtAtEpochMs()).orElse(null);
      if (dir == null) {
        System.out.println("cannot find this run's folder under " + results + ": its results go to "
            + results.resolve("interrupted-" + run.runTag));
        sweep.report(new ProfileOutcome.Completed(run.interrupted()));
        return;
      }
      sweep.report(new ProfileOutcome.Completed(run.finish(dir)));
    } catch (IOException | RuntimeException e) {
      System.err.println("error: the results of " + run.plan.profile() + " could not be written: " + e.getMessage());
      sweep.report(new ProfileOutcome.Failed("its results could not be written: " + e.getMessage()));
      run.stop();
    }
  }
}
