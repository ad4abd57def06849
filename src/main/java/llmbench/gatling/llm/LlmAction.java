package llmbench.gatling.llm;

import com.typesafe.scalalogging.Logger;
import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.commons.stats.Status;
import io.gatling.commons.validation.Failure;
import io.gatling.core.action.Action;
import io.gatling.core.check.Check;
import io.gatling.core.check.Check$;
import io.gatling.core.session.GroupBlock;
import io.gatling.core.session.Session;
import io.gatling.core.stats.StatsEngine;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import llmbench.openai.Answer;
import llmbench.openai.RequestBody;
import llmbench.validity.AnswerRules;
import llmbench.trace.RequestRecord;
import llmbench.trace.StreamRecorder;
import llmbench.trace.TraceParent;
import scala.Option;
import scala.Tuple2;

/**
 * Sends one LLM request and reads its streamed answer on the virtual user's own event loop: the body
 * is built and the start stamped there, just before the write; every chunk is stamped as its bytes
 * are read; the user goes on when the answer ended. Gatling's stats get one request per call, its time
 * to first token ({@code NAME: TTFT}), inside a group of the request's name timed start to end (E2EL),
 * so that {@code global()} counts each call once; both carry the server's words when it failed.
 * Anything that throws (a user's function, an expression, the encoding) is a KO with its message, and
 * the user goes on.
 */
final class LlmAction implements Action {
  static final Logger LOGGER = Logger.apply(LlmAction.class);

  private final LlmRequest request;
  private final LlmComponents components;
  private final LlmRun run;
  private final LlmSettings settings;
  private final scala.collection.immutable.List<Check<Answer>> checks;
  private final StatsEngine stats;
  private final Action next;
  private final String connectionKey;
  private final String ttftName;
  private final String auth;

  LlmAction(LlmRequest request, LlmComponents components, scala.collection.immutable.List<Check<Answer>> checks,
      Action next) {
    this.request = request;
    this.components = components;
    this.run = components.run();
    this.settings = components.settings();
    this.checks = checks;
    this.stats = components.core().statsEngine();
    this.next = next;
    this.connectionKey = connectionKey(settings);
    this.ttftName = request.name() + llmbench.report.GatlingNames.TTFT_SUFFIX;
    this.auth = settings.apiKey() == null || settings.apiKey().isEmpty() ? null : "Bearer " + settings.apiKey();
  }

  /** The session attribute holding the user's connection to this server. */
  static String connectionKey(LlmSettings settings) {
    return "llmbench.connection." + settings.server();
  }

  @Override
  public String name() {
    return request.name();
  }

  @Override
  public void execute(Session session) {
    if (components.crashed()) {
      components.core().exit().$bang(session); // the run stops: the user sends nothing more and leaves
      return;
    }
    EventLoop loop = session.eventLoop();
    if (!loop.inEventLoop()) {
      // a rendez-vous or a feeder may hand the user on from another thread: the stamp and the write
      // belong together on the user's own loop
      loop.execute(() -> execute(session));
      return;
    }
    var user = new io.gatling.javaapi.core.Session(session);
    List<String> groups = javaGroups(session);
    LlmRun.Context ctx = null;
    try {
      ctx = run.context(user, request.name(), groups);
      String path = request.path().apply(user);
      byte[] body = request.body().body(user, components.model());
      LlmRun.Context c = ctx;
      long waitNs = ctx.dueNs() == 0 ? 0 : ctx.dueNs() - System.nanoTime();
      if (waitNs > 0) { // a request-rate level's request goes at its time, to the nanosecond the loop allows
        loop.schedule(() -> sendSafely(session, c, path, body), waitNs, TimeUnit.NANOSECONDS);
      } else {
        send(session, ctx, path, body);
      }
    } catch (Exception | LinkageError | AssertionError e) {
      notSent(session, ctx, groups, e);
    }
  }

  private void sendSafely(Session session, LlmRun.Context ctx, String path, byte[] body) {
    try {
      send(session, ctx, path, body);
    } catch (Exception | LinkageError | AssertionError e) {
      notSent(session, ctx, javaGroups(session), e);
    }
  }

  private void send(Session session, LlmRun.Context ctx, String path, byte[] body) {
    if (!run.sends(ctx)) {
      next.$bang(session);
      return;
    }
    StreamRecorder rec = new StreamRecorder(run.nextId()); // the request's start
    if (ctx.dueNs() != 0) {
      rec.scheduled(ctx.dueNs(), ctx.readyNs());
    }
    if (ctx.turn() > 0) {
      rec.turn(ctx.session(), ctx.turn());
    }
    UserConnection kept = session.contains(connectionKey) ? (UserConnection) session.attributes().apply(connectionKey) : null;
    UserConnection conn = kept != null && kept.usable() ? kept : new UserConnection();
    Supplier<FullHttpRequest> http = () -> request(path, body, rec.id());
    StreamWatch watch = run.watch();
    watch.waiting(1);
    Exchange exchange = new Exchange(rec, settings, watch, new Exchange.Done() {
      @Override
      public void headers() {
        watch.waiting(-1);
      }

      @Override
      public void ended(Exchange.Outcome outcome) {
        done(session, ctx, conn, rec, outcome, body);
      }
    });
    if (!"warmup".equals(ctx.level()) && components.cancelsNext()) {
      var c = settings.cancel();
      exchange.cancelAfter(c.afterTokens(), c.after() == null ? 0 : c.after().toNanos());
    }
    if (conn.usable()) {
      // a kept connection the server closed before reading the request: once more, on a new one
      write(conn, exchange, http, ex -> connect(conn, ex, http, null, session.eventLoop()), false);
    } else {
      connect(conn, exchange, http, null, session.eventLoop());
    }
  }

  private void connect(UserConnection conn, Exchange exchange, Supplier<FullHttpRequest> http,
      UserConnection.Stale stale, EventLoop loop) {
    components.client().connect(components.core(), conn, loop, f -> {
      if (!f.isSuccess()) {
        exchange.cannotConnect(f.cause());
      } else {
        write(conn, exchange, http, stale, true);
      }
    });
  }

  /** @param afterConnect written in a later task than the one that stamped the request's start */
  private void write(UserConnection conn, Exchange exchange, Supplier<FullHttpRequest> http,
      UserConnection.Stale stale, boolean afterConnect) {
    if (exchange.ended()) {
      conn.close(); // the request's time ran out while it connected
      return;
    }
    conn.begin(exchange, stale);
    Channel ch = conn.channel();
    exchange.sent(ch);
    ch.writeAndFlush(http.get()).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        exchange.failed(f.cause());
      }
    });
    exchange.written(afterConnect); // on the loop the flush has made its syscall: the client's whole share of the send
  }

  private FullHttpRequest request(String path, byte[] bytes, String requestId) {
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
        Unpooled.wrappedBuffer(bytes));
    var h = req.headers();
    h.set(HttpHeaderNames.HOST, settings.hostHeader());
    h.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    h.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.TEXT_EVENT_STREAM);
    h.set(HttpHeaderNames.USER_AGENT, "gatling-llm-bench");
    h.set("X-Request-Id", requestId);
    h.set("traceparent", TraceParent.of(requestId));
    settings.headers().values().forEach(h::set);
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    if (auth != null) {
      h.set(HttpHeaderNames.AUTHORIZATION, auth);
    }
    if (!settings.keepAlive()) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return req;
  }

  /** The answer ended: the connection kept or closed, the checks run, the stats logged, the user on its way. */
  private void done(Session session, LlmRun.Context ctx, UserConnection conn, StreamRecorder rec,
      Exchange.Outcome outcome, byte[] body) {
    boolean keep = settings.keepAlive() && outcome.reusable() && conn.channel() != null;
    if (keep) {
      conn.release();
    } else {
      conn.close(); // a failed or timed-out answer: the server stops generating for it
    }
    Session after = keep ? session.set(connectionKey, conn) : session.remove(connectionKey);
    String error = null;
    if (outcome.cancelled()) {
      cancelled(session, after, ctx, rec, outcome);
      return;
    }
    try {
      error = outcome.error() != null ? outcome.error() : rec.verdict();
      Answer answer = checks.isEmpty() && request.saveAnswerAs() == null ? null : rec.answer(outcome.status(), error);
      if (error == null && !checks.isEmpty()) {
        Tuple2<Session, Option<Failure>> checked = Check$.MODULE$.check(answer, after, checks);
        after = checked._1();
        if (checked._2().isDefined()) {
          error = "check failed: " + checked._2().get().message();
        }
      }
      if (request.saveAnswerAs() != null) {
        after = after.set(request.saveAnswerAs(), answer);
      }
      Times t = Times.of(rec, outcome);
      log(session, t, error == null ? OK$.MODULE$ : KO$.MODULE$, error);
      after = after.logGroupRequestTimings(t.startMs(), t.endMs());
      var user = new io.gatling.javaapi.core.Session(after);
      String failed = error;
      if (run.needsRecordAtOnce(user)) {
        // the next turn re-sends this exchange: its answer is decoded now, once, and this record is the one written
        RequestRecord now = decode(rec, ctx, failed, body, outcome.status());
        run.record(() -> now);
        after = run.answered(user, rec, now).asScala();
      } else {
        run.record(() -> decode(rec, ctx, failed, body, outcome.status()));
        after = run.answered(user, rec, null).asScala();
      }
    } catch (Exception | LinkageError | AssertionError e) {
      String why = "the answer could not be handled: " + message(e);
      LOGGER.underlying().warn("request '{}': {}", request.name(), why, e);
      long now = System.currentTimeMillis();
      log(session, now, now, now, KO$.MODULE$, Option.empty(), why);
      error = why;
    }
    next.$bang(error == null ? after : after.markAsFailed());
  }

  /**
   * The request's record, off the event loop: a failed check fails it in the results too; the model it
   * asked for and, when its body asked a shape of the answer (a schema, tools), the verdict on the answer.
   */
  private static RequestRecord decode(StreamRecorder rec, LlmRun.Context ctx, String error, byte[] body, int status) {
    RequestRecord r = rec.toRecord(ctx.profile(), ctx.level(), ctx.concurrency(), ctx.inputLen(), ctx.outputLen(), null);
    r = error != null && r.success() ? r.failedWith(error) : r;
    String model = RequestBody.model(body);
    AnswerRules rules = r.success() ? AnswerRules.of(body) : AnswerRules.NONE;
    if (!rules.any()) {
      return r.asked(model, null, null);
    }
    Answer answer = rec.answer(status, null);
    AnswerRules.Verdict v = rules.judge(answer.text(), answer.toolCalls());
    return r.asked(model, v.valid(), v.why());
  }

  /**
   * A stream the client closed on purpose: Gatling logs it KO in words that say so (the session is not
   * marked failed), the record is counted apart, and no check runs on half an answer.
   */
  private void cancelled(Session session, Session after, LlmRun.Context ctx, StreamRecorder rec,
      Exchange.Outcome outcome) {
    Times t = Times.of(rec, outcome);
    log(session, t, KO$.MODULE$, "cancelled by the client after " + rec.chunksSoFar() + " chunks");
    run.record(() -> rec.toRecord(ctx.profile(), ctx.level(), ctx.concurrency(), ctx.inputLen(), ctx.outputLen(), null));
    next.$bang(after.logGroupRequestTimings(t.startMs(), t.endMs()));
  }

  /** An answer's times as Gatling logs them (epoch ms: start, first token or else end, end) and its HTTP status. */
  private record Times(long startMs, long ttftMs, long endMs, Option<String> code) {
    static Times of(StreamRecorder rec, Exchange.Outcome outcome) {
      long startMs = rec.startEpochMs();
      long endMs = startMs + Math.round((outcome.endNs() - rec.startNs()) / 1e6);
      long ttftMs = rec.firstTokenNs() > 0 ? startMs + Math.round((rec.firstTokenNs() - rec.startNs()) / 1e6) : endMs;
      return new Times(startMs, ttftMs, endMs,
          outcome.status() == 0 ? Option.empty() : Option.apply(Integer.toString(outcome.status())));
    }
  }

  private void log(Session session, Times t, Status status, String error) {
    log(session, t.startMs(), t.ttftMs(), t.endMs(), status, t.code(), error);
  }

  /** The request was never sent: a KO with why, a failed record, and the user on its way. */
  private void notSent(Session session, LlmRun.Context ctx, List<String> groups, Throwable e) {
    String why = "not sent: " + message(e);
    try {
      long nowMs = System.currentTimeMillis();
      log(session, nowMs, nowMs, nowMs, KO$.MODULE$, Option.empty(), why);
      LlmRun.Context c = ctx != null ? ctx
          : new LlmRun.Context("", SimulationRun.key(groups, request.name()), 0, 0, 0, 0, 0, 0, 0);
      long now = System.nanoTime();
      String id = run.nextId();
      run.record(() -> new RequestRecord(id, c.profile(), c.level(), c.concurrency(), c.inputLen(), c.outputLen(), now,
          now, nowMs, new long[0], -1, -1, "", false, why));
    } catch (RuntimeException again) {
      LOGGER.underlying().warn("request '{}' could not be logged: {}", request.name(), again.toString());
    }
    next.$bang(session.markAsFailed());
  }

  private void log(Session session, long startMs, long ttftMs, long endMs, Status status, Option<String> code,
      String error) {
    @SuppressWarnings("unchecked")
    scala.collection.immutable.List<String> path = (scala.collection.immutable.List<String>) session.groups()
        .appended(request.name());
    stats.logResponse(session.scenario(), path, ttftName, startMs, ttftMs, status, code, Option.apply(error));
    stats.logGroupEnd(session.scenario(), GroupBlock.apply(path, startMs, (int) (endMs - startMs), status), endMs);
  }

  private static List<String> javaGroups(Session session) {
    return scala.jdk.javaapi.CollectionConverters.asJava(session.groups());
  }

  static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  @Override
  public Logger logger() {
    return LOGGER;
  }

  @Override
  public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(Logger logger) {
    // the logger is this class's own
  }
}
