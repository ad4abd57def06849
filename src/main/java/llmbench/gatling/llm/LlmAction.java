package llmbench.gatling.llm;

import com.typesafe.scalalogging.Logger;
import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.stats.StatsEngine;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import llmbench.report.GatlingNames;
import llmbench.trace.RequestRecord;
import llmbench.trace.StreamRecorder;
import llmbench.trace.TraceParent;
import scala.Option;

/**
 * Sends one LLM request and reads its streamed answer, on the virtual user's own event loop: the user's
 * connection is kept for its next request (or a new one per request), every chunk is stamped as its
 * bytes are read, and the user goes on when the answer has ended. Gatling's stats get the request
 * ({@code E2EL}) and, when a token came, {@code TTFT}, in the user's groups, with the server's words
 * when it failed.
 */
final class LlmAction implements Action {
  static final Logger LOGGER = Logger.apply(LlmAction.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final LlmSettings settings;
  private final String path;
  private final Function<io.gatling.javaapi.core.Session, byte[]> body;
  private final Function<io.gatling.javaapi.core.Session, StreamRecorder> recorder;
  private final StreamWatch watch;
  private final StatsEngine stats;
  private final Action next;
  private final Bootstrap bootstrap;
  private final LlmClient client;
  private final String connectionKey;
  private final List<AnswerCheck> checks;

  LlmAction(String name, LlmSettings settings, String path, Function<io.gatling.javaapi.core.Session, byte[]> body,
      Function<io.gatling.javaapi.core.Session, StreamRecorder> recorder, StreamWatch watch, StatsEngine stats,
      Bootstrap bootstrap, LlmClient client, List<AnswerCheck> checks, Action next) {
    this.checks = checks;
    this.name = name;
    this.settings = settings;
    this.path = path;
    this.body = body;
    this.recorder = recorder;
    this.watch = watch;
    this.stats = stats;
    this.bootstrap = bootstrap;
    this.client = client;
    this.next = next;
    this.connectionKey = connectionKey(settings);
  }

  /** The session attribute holding the user's connection to this server. */
  static String connectionKey(LlmSettings settings) {
    return "llmbench.connection." + settings.server();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void execute(Session session) {
    if (!session.eventLoop().inEventLoop()) {
      session.eventLoop().execute(() -> execute(session));
      return;
    }
    var javaSession = new io.gatling.javaapi.core.Session(session);
    StreamRecorder rec = recorder.apply(javaSession);
    byte[] bytes = body.apply(javaSession);
    UserConnection kept = session.contains(connectionKey) ? (UserConnection) session.attributes().apply(connectionKey) : null;
    UserConnection conn = kept != null && kept.usable() ? kept : new UserConnection();
    String auth = settings.apiKey() == null || settings.apiKey().isEmpty() ? null : "Bearer " + settings.apiKey();
    Supplier<FullHttpRequest> request = () -> request(bytes, rec.id(), auth);
    watch.waiting(1);
    Exchange exchange = new Exchange(rec, settings, watch, new Exchange.Done() {
      @Override
      public void headers() {
        watch.waiting(-1);
      }

      @Override
      public void ended(Exchange.Outcome outcome) {
        done(session, conn, rec, outcome);
      }
    });
    if (conn.usable()) {
      // a kept connection the server closed before reading the request: once more, on a new one
      write(conn, exchange, request, ex -> connect(conn, ex, request, null, session.eventLoop()));
    } else {
      connect(conn, exchange, request, null, session.eventLoop());
    }
  }

  private void connect(UserConnection conn, Exchange exchange, Supplier<FullHttpRequest> request,
      UserConnection.Stale stale, io.netty.channel.EventLoop loop) {
    Bootstrap b = bootstrap.clone(loop);
    b.handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        client.pipeline(ch, conn);
      }
    });
    b.connect(settings.host(), settings.port()).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        exchange.cannotConnect(f.cause());
        return;
      }
      client.opened(f.channel());
      conn.attach(f.channel());
      write(conn, exchange, request, stale);
    });
  }

  private void write(UserConnection conn, Exchange exchange, Supplier<FullHttpRequest> request,
      UserConnection.Stale stale) {
    if (exchange.ended()) {
      conn.close(); // the request's time ran out while it connected
      return;
    }
    conn.begin(exchange, stale);
    Channel ch = conn.channel();
    exchange.sent(ch);
    ch.writeAndFlush(request.get()).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        exchange.failed(f.cause());
      }
    });
  }

  private FullHttpRequest request(byte[] bytes, String requestId, String auth) {
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
        Unpooled.wrappedBuffer(bytes));
    var h = req.headers();
    h.set(HttpHeaderNames.HOST, settings.hostHeader());
    h.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    h.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.TEXT_EVENT_STREAM);
    h.set(HttpHeaderNames.USER_AGENT, "gatling-llm-bench");
    h.set("X-Request-Id", requestId);
    h.set("traceparent", TraceParent.of(requestId));
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    if (auth != null) {
      h.set(HttpHeaderNames.AUTHORIZATION, auth);
    }
    if (!settings.keepAlive()) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return req;
  }

  /** The answer ended: the connection kept or closed, the stats logged, the user on its way. */
  private void done(Session session, UserConnection conn, StreamRecorder rec, Exchange.Outcome outcome) {
    boolean keep = settings.keepAlive() && outcome.reusable() && conn.channel() != null;
    if (keep) {
      conn.release();
    } else {
      conn.close(); // a failed or timed-out answer: the server stops generating for it
    }
    String error = outcome.error() != null ? outcome.error() : rec.verdict();
    if (error == null && !checks.isEmpty()) {
      error = failedCheck(rec, outcome.status());
    }
    long startMs = rec.startEpochMs();
    long endMs = startMs + Math.round((outcome.endNs() - rec.startNs()) / 1e6);
    Option<String> code = outcome.status() == 0 ? Option.empty() : Option.apply(Integer.toString(outcome.status()));
    var groups = session.groups();
    if (rec.firstTokenNs() > 0) {
      long ttftMs = startMs + Math.round((rec.firstTokenNs() - rec.startNs()) / 1e6);
      stats.logResponse(session.scenario(), groups, GatlingNames.TTFT, startMs, ttftMs, OK$.MODULE$, code, Option.empty());
    }
    stats.logResponse(session.scenario(), groups, GatlingNames.E2EL, startMs, endMs,
        error == null ? OK$.MODULE$ : KO$.MODULE$, code, Option.apply(error));
    Session after = session.logGroupRequestTimings(startMs, endMs);
    after = keep ? after.set(connectionKey, conn) : after.remove(connectionKey);
    next.$bang(error == null ? after : after.markAsFailed());
  }

  /** The first check the answer fails, in words, or null (decoded here: only simulations with checks pay). */
  private String failedCheck(StreamRecorder rec, int status) {
    RequestRecord r = rec.toRecord("", "", 0, 0, 0, null);
    JsonNode last = null;
    String whole = rec.finalChoiceChunk();
    try {
      last = whole == null ? null : JSON.readTree(whole);
    } catch (java.io.IOException e) {
      // not JSON: a check on it fails
    }
    AnswerCheck.Answer answer = new AnswerCheck.Answer(status, r.promptTokens(), r.completionTokens(), r.generatedText(), last);
    for (AnswerCheck c : checks) {
      if (!c.test().test(answer)) {
        return "check failed: " + c.description();
      }
    }
    return null;
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
