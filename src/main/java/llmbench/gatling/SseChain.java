package llmbench.gatling;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;

import io.gatling.javaapi.http.HttpProtocolBuilder;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import llmbench.report.GatlingNames;
import llmbench.trace.RequestRecord;
import llmbench.trace.StreamRecorder;
import llmbench.trace.StreamRecorder.Kind;
import llmbench.trace.TraceSink;
import llmbench.workload.LevelPlan;

/**
 * One streamed request as a Gatling chain, and a level as a loop of them.
 *
 * <p>Timing: the request start is stamped just before the SSE action; every SSE event is stamped with
 * {@code System.nanoTime()} inside the first {@code matching} condition of the armed check, which
 * Gatling 3.15.1 runs exactly once per event on the stream's event loop (FIELD_NOTES §5). The two
 * checks form one sequence, so a check is armed from the response headers until [DONE]: no event
 * can slip past the recorder between them.
 */
final class SseChain {
  private static final String RECORDER = "llmbench.recorder";
  private static final String BODY = "llmbench.body";
  private static final String CLAIM = "llmbench.claim";
  private static final String CLAIM_NS = "llmbench.claimNs";
  private static final String HISTORY = "llmbench.history";
  private static final String TURN = "llmbench.turn";
  private static final String USER = "llmbench.user";
  private static final String SESSION = "llmbench.session";
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private static final String SSE_NAME = "generate";
  private static final String CLOSE = "close";
  private static final String OPEN_CONNECTION = "open connection";

  private final String path;
  private final String profile;
  private final TraceSink sink;
  private final String runTag;
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong sessions = new AtomicLong();
  private final String authorization;
  private final boolean keepAlive;
  private final Runnable onChunk;

  /**
   * @param apiKey sent as a bearer token to the server only (never to the client warm-up's mock); may be null
   * @param keepAlive keep each user's connection for its next request (else a new one per request)
   */
  SseChain(String path, String profile, TraceSink sink, String runTag, String apiKey, boolean keepAlive) {
    this(path, profile, sink, runTag, apiKey, keepAlive, () -> { });
  }

  /** @param onChunk run on the event loop for every chunk with choices (the live console line counts them) */
  SseChain(String path, String profile, TraceSink sink, String runTag, String apiKey, boolean keepAlive, Runnable onChunk) {
    this.onChunk = onChunk;
    this.path = path;
    this.keepAlive = keepAlive;
    this.authorization = apiKey == null || apiKey.isEmpty() ? null : "Bearer " + apiKey;
    this.profile = profile;
    this.sink = sink;
    this.runTag = runTag;
  }

  /** The HTTP protocol of every simulation: no Gatling warm-up, caching or redirects; baseUrl may be null. */
  static HttpProtocolBuilder protocol(String baseUrl) {
    HttpProtocolBuilder p = baseUrl == null ? http : http.baseUrl(baseUrl);
    return p.disableWarmUp().disableCaching().disableFollowRedirect().userAgentHeader("gatling-llm-bench");
  }

  /**
   * One GET that leaves the user's connection in its pool. Its answer does not matter (a server
   * without /health answers 404 on an open connection all the same), so it never fails the user's
   * session, which would mark the user's next stream as failed.
   */
  static ChainBuilder openConnection(String url) {
    return exec(http(OPEN_CONNECTION).get(url).silent()).exec(Session::markAsSucceeded);
  }

  /** {@code rounds} requests per user, each in the level's group so the report shows them per level. */
  ChainBuilder level(LevelPlan level, Duration timeout) {
    return level(level, timeout, path, sink);
  }

  /**
   * The same chain sent to {@code url}, an absolute URL that is not the server's (the client's
   * warm-up), with its token timings going to {@code target}; the server's API key is not sent.
   */
  ChainBuilder level(LevelPlan level, Duration timeout, String url, TraceSink target) {
    if (level.open()) {
      return openLevel(level, timeout, url, target);
    }
    String group = GatlingNames.group(level.label(), level.concurrency(), level.inputLen(), level.outputLen());
    if (level.turns() > 1) {
      // each of the user's sessions: a conversation of `turns` requests, each re-sending the history
      // with the next user message, the same chain and records as a single request
      return repeat(level.rounds()).on(
          exec(session -> session.set(HISTORY, JSON.createArrayNode()).set(SESSION, sessions.incrementAndGet()))
              .repeat(level.turns(), TURN).on(
                  group(group).on(request(level, timeout, url, target))
                      .doIf(session -> level.thinkTimeMs() > 0 && session.getInt(TURN) + 1 < level.turns())
                      .then(pause(Duration.ofMillis(level.thinkTimeMs())))));
    }
    return repeat(level.rounds()).on(group(group).on(request(level, timeout, url, target)));
  }

  /**
   * An open-model level: each user claims the next request of the schedule once it is free, waits
   * until it is due and sends it. With one user per request (uncapped) every request goes at its
   * time; with the cap as the number of users, a request due while all are busy waits for the first
   * to end, vLLM's semaphore.
   */
  private ChainBuilder openLevel(LevelPlan level, Duration timeout, String url, TraceSink target) {
    String group = GatlingNames.openGroup(level.label(), level.arrivals(), level.inputLen(), level.outputLen());
    return exec(session -> claim(session, level))
        .asLongAs(session -> session.getInt(CLAIM) >= 0).on(
            group(group).on(request(level, timeout, url, target))
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

  private ChainBuilder request(LevelPlan level, Duration timeout, String url, TraceSink target) {
    boolean server = target == sink;
    var connect = sse(GatlingNames.CONNECT, SSE_NAME)
        .post(url)
        .header("X-Request-Id", session -> recorder(session).id());
    if (server && authorization != null) {
      connect = connect.header("Authorization", authorization);
    }
    // Every request starts with one turn of the user's own event loop (a zero pause). Gatling runs a
    // user's chain on whatever thread released it: a rendez-vous releases all of a level's users
    // on one thread, so their start stamps were taken there one after another while each POST was
    // written later by its own loop (send delay p99 10-14 ms at 128 streams, on the wire). On its
    // loop, the stamp and the write follow each other. The same turn lets the previous stream's last
    // chunk be read first: Gatling runs the chain on from [DONE] inside that read, and only once the
    // chunk is handled is the connection back in the user's pool, and the close below a no-op that
    // frees the stream's name (closing right after [DONE], Gatling's habit, costs a new connection).
    // An open-model request waits there until it is due.
    return exec(level.open() ? pause(session -> untilDue(session, level)) : pause(Duration.ZERO))
        .doIf(session -> session.contains(SSE_NAME)).then(exec(sse(CLOSE, SSE_NAME).close()))
        .exec(session -> {
          if (level.turns() > 1) {
            String user = new String(level.next(), java.nio.charset.StandardCharsets.UTF_8);
            com.fasterxml.jackson.databind.node.ArrayNode history = session.get(HISTORY);
            return session.set(USER, user).set(BODY, level.sessionBody(history, user))
                .set(RECORDER, new StreamRecorder(runTag + "-" + ids.incrementAndGet()).turn(session.getLong(SESSION), session.getInt(TURN) + 1));
          }
          if (!level.open()) {
            return session.set(BODY, level.next())
                .set(RECORDER, new StreamRecorder(runTag + "-" + ids.incrementAndGet()));
          }
          int index = session.getInt(CLAIM);
          long due = level.dueNs(index);
          StreamRecorder rec = new StreamRecorder(runTag + "-" + ids.incrementAndGet())
              .scheduled(due, Math.max(due, session.getLong(CLAIM_NS)));
          return session.set(BODY, level.body(index)).set(RECORDER, rec);
        })
        .exec(connect
            .body(ByteArrayBody(session -> session.<byte[]>get(BODY)))
            .asJson()
            .await(timeout).on(
                sse.checkMessage(GatlingNames.FIRST_TOKEN)
                    .matching(bodyString().transformWithSession(this::firstTokenSeen).is(true))
                    .check(bodyString().transformWithSession((b, s) -> verdict(s, Kind.CHOICES)).is("ok")),
                sse.checkMessage(GatlingNames.FULL_RESPONSE)
                    .matching(bodyString().transformWithSession(this::streamEnded).is(true))
                    .check(bodyString().transformWithSession((b, s) -> verdict(s, Kind.DONE)).is("ok"))))
        // a failed or timed-out stream is closed at once, so that the server stops generating for it
        .doIf(session -> session.isFailed() || !keepAlive || recorder(session).lastKind() != Kind.DONE)
        .then(exec(sse(CLOSE, SSE_NAME).close()))
        .exec(session -> {
          StreamRecorder rec = recorder(session);
          if (session.isFailed()) {
            rec.markFailed(System.nanoTime(), (int) timeout.toSeconds());
          }
          int concurrency = !level.open() ? level.concurrency()
              : level.arrivals().maxConcurrency() == null ? 0 : level.arrivals().maxConcurrency();
          if (level.turns() > 1) {
            // the next turn re-sends this exchange, so its answer is decoded now, once: the record
            // built here is the one written (elsewhere the writer thread builds it, off the loop)
            RequestRecord done = rec.toRecord(profile, level.label(), concurrency, level.inputLen(), level.outputLen(), null);
            target.submit(() -> done);
            com.fasterxml.jackson.databind.node.ArrayNode history = session.get(HISTORY);
            history.addObject().put("role", "user").put("content", session.<String>get(USER));
            history.addObject().put("role", "assistant").put("content", done.generatedText());
          } else {
            target.submit(() -> rec.toRecord(profile, level.label(), concurrency, level.inputLen(),
                level.outputLen(), null));
          }
          return session.remove(RECORDER).remove(BODY).remove(USER).markAsSucceeded();
        });
  }

  private static StreamRecorder recorder(Session session) {
    return session.get(RECORDER);
  }

  // Runs once per SSE event while the first check is armed: records it, never throws.
  private boolean firstTokenSeen(String event, Session session) {
    Kind k = recorder(session).onEvent(event);
    if (k == Kind.CHOICES) {
      onChunk.run();
    }
    return k != Kind.OTHER;
  }

  private boolean streamEnded(String event, Session session) {
    Kind k = recorder(session).onEvent(event);
    if (k == Kind.CHOICES) {
      onChunk.run();
    }
    return k == Kind.DONE || k == Kind.ERROR || k == Kind.RECONNECT;
  }

  private static String verdict(Session session, Kind expected) {
    Kind k = recorder(session).lastKind();
    return k == expected ? "ok" : switch (k) {
      case ERROR -> "in-band error";
      case RECONNECT -> "SSE reconnect (request sent twice)";
      case DONE -> "[DONE] before any token";
      default -> "unexpected " + k;
    };
  }
}
