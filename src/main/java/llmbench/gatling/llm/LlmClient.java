package llmbench.gatling.llm;

import io.gatling.core.CoreComponents;
import io.gatling.netty.util.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.GlobalEventExecutor;
import javax.net.ssl.SSLException;

/**
 * The connections of one run to one server: how a connection is made (TCP, TLS for https, HTTP, the
 * user's exchange), on the virtual user's own event loop; every connection it opened is closed by
 * {@link #close} at the run's end.
 */
final class LlmClient implements AutoCloseable {
  private final LlmSettings settings;
  private final ChannelGroup channels = new DefaultChannelGroup("llm", GlobalEventExecutor.INSTANCE);
  private final SslContext ssl;
  private Bootstrap bootstrap;

  LlmClient(LlmSettings settings) {
    this.settings = settings;
    try {
      // the certificate is checked as the run says (the JVM's trust store by default; Gatling's own
      // default trusts any, but the API key goes out as a bearer token)
      this.ssl = "https".equals(settings.server().getScheme())
          ? SslContextBuilder.forClient().trustManager(settings.tls().trustManager())
              .endpointIdentificationAlgorithm(settings.tls().checksHost() ? "HTTPS" : null).build() : null;
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

  /** Connects {@code conn} on {@code loop}; {@code done} hears whether it worked. */
  void connect(CoreComponents core, UserConnection conn, EventLoop loop, ChannelFutureListener done) {
    Bootstrap b = bootstrap(core).clone(loop);
    b.handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        pipeline(ch, conn);
      }
    });
    b.connect(settings.host(), settings.port()).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        channels.add(f.channel());
        conn.attach(f.channel());
      }
      done.operationComplete(f);
    });
  }

  private synchronized Bootstrap bootstrap(CoreComponents core) {
    if (bootstrap == null) {
      var netty = core.configuration().netty();
      bootstrap = new Bootstrap()
          .channelFactory(Transports.newSocketChannelFactory(netty.useNativeTransport(), netty.useIoUring()))
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.SO_KEEPALIVE, true)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMs());
    }
    return bootstrap;
  }

  /** Closes every connection still open (the run's end). */
  @Override
  public void close() {
    channels.close().awaitUninterruptibly(5_000);
  }
}
