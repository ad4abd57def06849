package llmbench.gatling.llm;

import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.netty.util.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import javax.net.ssl.SSLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import llmbench.trace.StreamRecorder;

/**
 * The LLM protocol of one simulation for one server, used from the Java DSL:
 * {@code exec(client.stream("generate", path, body, recorder))} sends a request and reads its streamed
 * answer ({@link LlmAction}); {@code exec(client.freshConnection())} gives the user a new connection
 * before a level, without sending anything. Every connection it opened is closed by {@link #close}.
 */
public final class LlmClient implements AutoCloseable {
  private final LlmSettings settings;
  private final StreamWatch watch;
  private final ChannelGroup channels = new DefaultChannelGroup("llm", GlobalEventExecutor.INSTANCE);
  private final SslContext ssl;
  private Bootstrap bootstrap;

  public LlmClient(LlmSettings settings, StreamWatch watch) {
    this.settings = settings;
    this.watch = watch;
    try {
      // Gatling's own default: a load test trusts the server it was pointed at
      this.ssl = "https".equals(settings.server().getScheme())
          ? SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build() : null;
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for " + settings.server(), e);
    }
  }

  /** A new connection's handlers: read stamps first, then TLS, HTTP, and the user's exchange. */
  void pipeline(Channel ch, UserConnection conn) {
    ch.pipeline().addLast(conn.new Stamp());
    if (ssl != null) {
      ch.pipeline().addLast(ssl.newHandler(ch.alloc(), settings.host(), settings.port()));
    }
    ch.pipeline().addLast(new HttpClientCodec(), conn.new Answer());
  }

  void opened(Channel ch) {
    channels.add(ch);
  }

  /**
   * One streamed request: {@code body} is the JSON sent to {@code path}, {@code recorder} the user's
   * recorder for it (made just before, its start stamp the request's start).
   */
  public Stream stream(String name, String path, Function<io.gatling.javaapi.core.Session, byte[]> body,
      Function<io.gatling.javaapi.core.Session, StreamRecorder> recorder) {
    return new Stream(name, path, body, recorder, List.of());
  }

  /** One streamed request, with checks on its finished answer ({@link #check}). */
  public final class Stream implements ActionBuilder {
    private final String name;
    private final String path;
    private final Function<io.gatling.javaapi.core.Session, byte[]> body;
    private final Function<io.gatling.javaapi.core.Session, StreamRecorder> recorder;
    private final List<AnswerCheck> checks;

    private Stream(String name, String path, Function<io.gatling.javaapi.core.Session, byte[]> body,
        Function<io.gatling.javaapi.core.Session, StreamRecorder> recorder, List<AnswerCheck> checks) {
      this.name = name;
      this.path = path;
      this.body = body;
      this.recorder = recorder;
      this.checks = checks;
    }

    /** The answer must also pass these (a failed one makes the request KO with its words). */
    public Stream check(AnswerCheck... more) {
      List<AnswerCheck> all = new ArrayList<>(checks);
      all.addAll(List.of(more));
      return new Stream(name, path, body, recorder, List.copyOf(all));
    }

    @Override
    public io.gatling.core.action.builder.ActionBuilder asScala() {
      return (ScenarioContext ctx, Action next) -> new LlmAction(name, settings, path, body, recorder, watch,
          ctx.coreComponents().statsEngine(), bootstrap(ctx), LlmClient.this, checks, next);
    }
  }

  /**
   * Gives the user an open connection before a level, sending nothing: one it used less than a second
   * ago stays, else a new one replaces it. A level's first requests then pay no TCP handshake, and no
   * connection the server may have closed while idle (uvicorn: after 5 s) is used. A connection that
   * cannot be made is left to the next request, which reports it.
   */
  public ActionBuilder freshConnection() {
    return () -> (ScenarioContext ctx, Action next) -> new RefreshAction(ctx, next);
  }

  private synchronized Bootstrap bootstrap(ScenarioContext ctx) {
    if (bootstrap == null) {
      var netty = ctx.coreComponents().configuration().netty();
      bootstrap = new Bootstrap()
          .channelFactory(Transports.newSocketChannelFactory(netty.useNativeTransport(), netty.useIoUring()))
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.SO_KEEPALIVE, true)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMs());
    }
    return bootstrap;
  }

  /** Closes every connection still open (the simulation's end). */
  @Override
  public void close() {
    channels.close().awaitUninterruptibly(5_000);
  }

  private final class RefreshAction implements Action {
    private final Action next;
    private final Bootstrap base;
    private final String key = LlmAction.connectionKey(settings);

    RefreshAction(ScenarioContext ctx, Action next) {
      this.next = next;
      this.base = bootstrap(ctx);
    }

    @Override
    public String name() {
      return "fresh connection";
    }

    @Override
    public void execute(Session session) {
      if (session.contains(key)) {
        UserConnection kept = (UserConnection) session.attributes().apply(key);
        if (kept.freshWithin(1_000_000_000L)) {
          next.$bang(session);
          return;
        }
        kept.close();
      }
      UserConnection conn = new UserConnection();
      Bootstrap b = base.clone(session.eventLoop());
      b.handler(new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel ch) {
          pipeline(ch, conn);
        }
      });
      b.connect(settings.host(), settings.port()).addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) {
          opened(f.channel());
          conn.attach(f.channel());
          next.$bang(session.set(key, conn));
        } else {
          next.$bang(session.remove(key));
        }
      });
    }

    @Override
    public com.typesafe.scalalogging.Logger logger() {
      return LlmAction.LOGGER;
    }

    @Override
    public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(com.typesafe.scalalogging.Logger l) {
      // the action's logger
    }
  }
}
