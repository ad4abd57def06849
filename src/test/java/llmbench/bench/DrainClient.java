package llmbench.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * The lightest client that keeps N streams open: one thread, one selector, keep-alive connections,
 * responses read and dropped until the chunked body's last chunk. For measuring the mock, so that the
 * client's own CPU takes as little as possible from the 2 cores they share.
 */
final class DrainClient {
  private static final byte[] END = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private DrainClient() {}

  private static final class Conn {
    final SocketChannel ch;
    final byte[] tail = new byte[END.length];
    int tailLen;

    Conn(SocketChannel ch) {
      this.ch = ch;
    }

    /** True when the bytes read so far end with the last chunk of a chunked body. */
    boolean ended(ByteBuffer buf) {
      for (int i = buf.position(); i < buf.limit(); i++) {
        System.arraycopy(tail, 1, tail, 0, END.length - 1);
        tail[END.length - 1] = buf.get(i);
        tailLen = Math.min(END.length, tailLen + 1);
      }
      return tailLen == END.length && java.util.Arrays.equals(tail, END);
    }
  }

  /** Keeps {@code concurrency} requests in flight until {@code total} are done; returns the wall time in s. */
  static double run(int port, int concurrency, int total, String body) throws IOException {
    byte[] req = ("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
        .getBytes(StandardCharsets.UTF_8);
    long t0 = System.nanoTime();
    int sent = 0;
    int done = 0;
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
    try (Selector sel = Selector.open()) {
      for (int i = 0; i < concurrency && sent < total; i++, sent++) {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        ch.configureBlocking(false);
        write(ch, req);
        ch.register(sel, SelectionKey.OP_READ, new Conn(ch));
      }
      while (done < total) {
        sel.select(1000);
        for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
          SelectionKey k = it.next();
          it.remove();
          Conn c = (Conn) k.attachment();
          buf.clear();
          int n = c.ch.read(buf);
          if (n < 0) {
            throw new IOException("the server closed a connection");
          }
          buf.flip();
          if (c.ended(buf)) {
            done++;
            c.tailLen = 0;
            if (sent < total) {
              sent++;
              write(c.ch, req);
            } else {
              k.cancel();
              c.ch.close();
            }
          }
        }
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void write(SocketChannel ch, byte[] req) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(req);
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
