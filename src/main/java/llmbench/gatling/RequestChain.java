package llmbench.gatling;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.repeat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import llmbench.gatling.llm.LlmClient;
import llmbench.report.GatlingNames;
import llmbench.trace.RequestRecord;
import llmbench.trace.StreamRecorder;
import llmbench.trace.TraceSink;
import llmbench.workload.LevelPlan;

/**
 * One streamed request as a Gatling chain (our LLM action, {@link LlmClient#stream}), and a level as a
 * loop of them: the request's body and recorder are set just before it, its record goes to the trace
 * writer just after it (decoded there, off the event loop).
 */
final class RequestChain {
  private static final String RECORDER = "llmbench.recorder";
  private static final String BODY = "llmbench.body";
  private static final String CLAIM = "llmbench.claim";
  private static final String CLAIM_NS = "llmbench.claimNs";
  private static final String HISTORY = "llmbench.history";
  private static final String TURN = "llmbench.turn";
  private static final String USER = "llmbench.user";
  private static final String SESSION = "llmbench.session";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REQUEST_NAME = "generate";

  private final LlmClient client;
  private final String path;
  private final String profile;
  private final TraceSink sink;
  private final String runTag;
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong sessions = new AtomicLong();

  /** Requests to {@code path} of {@code client}'s server, their records to {@code sink}. */
  RequestChain(LlmClient client, String path, String profile, TraceSink sink, String runTag) {
    this.client = client;
    this.path = path;
    this.profile = profile;
    this.sink = sink;
    this.runTag = runTag;
  }

  /** {@code rounds} requests per user, each in the level's group so the report shows them per level. */
  ChainBuilder level(LevelPlan level) {
    if (level.open()) {
      return openLevel(level);
    }
    String group = GatlingNames.group(level.label(), level.concurrency(), level.inputLen(), level.outputLen());
    if (level.turns() > 1) {
      // each of the user's sessions: a conversation of `turns` requests, each re-sending the history
      // with the next user message, the same chain and records as a single request
      return repeat(level.rounds()).on(
          exec(session -> session.set(HISTORY, JSON.createArrayNode()).set(SESSION, sessions.incrementAndGet()))
              .repeat(level.turns(), TURN).on(
                  group(group).on(request(level))
                      .doIf(session -> level.thinkTimeMs() > 0 && session.getInt(TURN) + 1 < level.turns())
                      .then(pause(Duration.ofMillis(level.thinkTimeMs())))));
    }
    return repeat(level.rounds()).on(group(group).on(request(level)));
  }

  /**
   * An open-model level: each user claims the next request of the schedule once it is free, waits
   * until it is due and sends it. With one user per request (uncapped) every request goes at its
   * time; with the cap as the number of users, a request due while all are busy waits for the first
   * to end, vLLM's semaphore.
   */
  private ChainBuilder openLevel(LevelPlan level) {
    String group = GatlingNames.openGroup(level.label(), level.arrivals(), level.inputLen(), level.outputLen());
    return exec(session -> claim(session, level))
        .asLongAs(session -> session.getInt(CLAIM) >= 0).on(
            group(group).on(request(level))
                .exec(session -> claim(session, level)));
  }

  private static Session claim(Session session, LevelPlan level) {
    return session.set(CLAIM, level.claim()).set(CLAIM_NS, System.nanoTime());
  }

  /**
   * Until the claimed request is due, rounded up to Gatling's millisecond pauses (so that nothing
   * goes early); zero when it is already due: one turn of the user's event loop, as below.
   */
  private static Duration untilDue(Session session, LevelPlan level) {
    long wait = level.dueNs(session.getInt(CLAIM)) - System.nanoTime();
    return wait <= 0 ? Duration.ZERO : Duration.ofMillis((wait + 999_999) / 1_000_000);
  }

  private ChainBuilder request(LevelPlan level) {
    // Every request starts with one turn of the user's own event loop (a zero pause). Gatling runs a
    // user's chain on whatever thread released it: a rendez-vous releases all of a level's users
    // on one thread, so their start stamps were taken there one after another while each POST was
    // written later by its own loop (send delay p99 10-14 ms at 128 streams, on the wire). On its
    // loop, the stamp and the write follow each other. An open-model request waits there until it is due.
    return exec(level.open() ? pause(session -> untilDue(session, level)) : pause(Duration.ZERO))
        .exec(session -> {
          if (level.turns() > 1) {
            String user = new String(level.next(), StandardCharsets.UTF_8);
            ArrayNode history = session.get(HISTORY);
            return session.set(USER, user).set(BODY, level.sessionBody(history, user))
                .set(RECORDER, new StreamRecorder(nextId()).turn(session.getLong(SESSION), session.getInt(TURN) + 1));
          }
          if (!level.open()) {
            return session.set(BODY, level.next()).set(RECORDER, new StreamRecorder(nextId()));
          }
          int index = session.getInt(CLAIM);
          long due = level.dueNs(index);
          StreamRecorder rec = new StreamRecorder(nextId()).scheduled(due, Math.max(due, session.getLong(CLAIM_NS)));
          return session.set(BODY, level.body(index)).set(RECORDER, rec);
        })
        .exec(client.stream(REQUEST_NAME, path, session -> session.<byte[]>get(BODY), RequestChain::recorder))
        .exec(session -> {
          StreamRecorder rec = recorder(session);
          int concurrency = !level.open() ? level.concurrency()
              : level.arrivals().maxConcurrency() == null ? 0 : level.arrivals().maxConcurrency();
          if (level.turns() > 1) {
            // the next turn re-sends this exchange, so its answer is decoded now, once: the record
            // built here is the one written (elsewhere the writer thread builds it, off the loop)
            RequestRecord done = rec.toRecord(profile, level.label(), concurrency, level.inputLen(), level.outputLen(), null);
            sink.submit(() -> done);
            ArrayNode history = session.get(HISTORY);
            history.addObject().put("role", "user").put("content", session.<String>get(USER));
            history.addObject().put("role", "assistant").put("content", done.generatedText());
          } else {
            sink.submit(() -> rec.toRecord(profile, level.label(), concurrency, level.inputLen(),
                level.outputLen(), null));
          }
          // the failure is in the record and in Gatling's stats: the user goes on with its next request
          return session.remove(RECORDER).remove(BODY).remove(USER).markAsSucceeded();
        });
  }

  private String nextId() {
    return runTag + "-" + ids.incrementAndGet();
  }

  private static StreamRecorder recorder(Session session) {
    return session.get(RECORDER);
  }
}
