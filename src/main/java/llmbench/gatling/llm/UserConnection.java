package llmbench.gatling.llm;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * One virtual user's connection to the server, on the user's event loop: at most one request at a
 * time. Bytes are stamped with {@code System.nanoTime()} as they are read, before HTTP decoding, and
 * every part of the answer goes to the request's {@link Exchange} with that stamp.
 */
final class UserConnection {
  /** The connection closed with the request untouched: it may go again on a new connection. */
  interface Stale {
    void retry(Exchange exchange);
  }

  private Channel channel;
  private Exchange exchange;
  private Stale stale;
  private boolean used;
  private long readNs;
  private long idleSinceNs;

  void attach(Channel ch) {
    this.channel = ch;
    this.idleSinceNs = System.nanoTime();
  }

  Channel channel() {
    return channel;
  }

  boolean usable() {
    return channel != null && channel.isActive() && exchange == null;
  }

  /** {@code exchange} uses the connection from now; {@code stale} is told if a kept one was closed under it. */
  void begin(Exchange exchange, Stale stale) {
    this.exchange = exchange;
    this.stale = used ? stale : null;
    this.used = true;
  }

  void release() {
    exchange = null;
    stale = null;
    idleSinceNs = System.nanoTime();
  }

  /** Open, free, and idle for less than {@code ns}: safe to keep for the next level. */
  boolean freshWithin(long ns) {
    return usable() && System.nanoTime() - idleSinceNs < ns;
  }

  void close() {
    release();
    if (channel != null) {
      channel.close();
    }
  }

  /** First in the pipeline: when the bytes were read. */
  final class Stamp extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      readNs = System.nanoTime();
      ctx.fireChannelRead(msg);
    }
  }

  /** Last in the pipeline: the decoded answer to the request's exchange. */
  final class Answer extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Exchange ex = ctx.channel() == channel ? exchange : null;
      try {
        if (ex == null) {
          return; // bytes after the end of an answer: nothing waits for them
        }
        if (msg instanceof HttpResponse res) {
          ex.response(res);
        }
        if (msg instanceof HttpContent c) {
          ex.content(c, readNs);
        }
      } finally {
        io.netty.util.ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (ctx.channel() != channel) {
        return; // a connection this user already left (retried on a new one)
      }
      Exchange ex = exchange;
      Stale retry = stale;
      channel = null;
      release();
      if (ex != null) {
        if (retry != null && ex.untouched()) {
          retry.retry(ex); // a kept connection the server had closed: once more, on a new one
        } else {
          ex.closed();
        }
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (ctx.channel() != channel) {
        ctx.close();
        return;
      }
      Exchange ex = exchange;
      Stale retry = stale;
      release();
      if (ex != null) {
        if (retry != null && ex.untouched() && cause instanceof java.io.IOException) {
          // a kept connection the server closed (llama.cpp closes after each answer, having announced
          // keep-alive) answers the next request with a reset: once more, on a new one
          channel = null;
          retry.retry(ex);
        } else {
          ex.failed(cause);
        }
      }
      ctx.close();
    }
  }
}
