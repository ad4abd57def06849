package llmbench.gatling.llm;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Server-sent events out of a response body's bytes as they come (the WHATWG format): lines end at
 * {@code \n} (a {@code \r} before it is dropped), {@code data:} lines make an event's payload (joined by
 * {@code \n}), a blank line ends the event, comments ({@code :...}) and other fields are skipped. A line
 * cut between two reads waits in a small buffer for its end.
 */
final class SseEvents {
  private final ByteBuf partial = Unpooled.buffer(256);
  private String data; // the event's one data line, most often
  private StringBuilder more; // a second data line and after

  /** Feeds the bytes; every event they complete goes to {@code sink}, in order. */
  void feed(ByteBuf in, Consumer<String> sink) {
    while (in.isReadable()) {
      int nl = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
      if (nl < 0) {
        partial.writeBytes(in);
        return;
      }
      ByteBuf line;
      if (partial.isReadable()) {
        partial.writeBytes(in, nl - in.readerIndex());
        in.readerIndex(nl + 1);
        line = partial;
      } else {
        line = in.retainedSlice(in.readerIndex(), nl - in.readerIndex());
        in.readerIndex(nl + 1);
      }
      try {
        line(line, sink);
      } finally {
        if (line == partial) {
          partial.clear();
        } else {
          line.release();
        }
      }
    }
  }

  private void line(ByteBuf line, Consumer<String> sink) {
    int len = line.readableBytes();
    if (len > 0 && line.getByte(line.writerIndex() - 1) == '\r') {
      len--;
    }
    if (len == 0) { // the event is complete
      if (data != null) {
        String event = more == null ? data : more.toString();
        data = null;
        more = null;
        sink.accept(event);
      }
      return;
    }
    int start = line.readerIndex();
    if (len >= 5 && line.getByte(start) == 'd' && line.getByte(start + 1) == 'a' && line.getByte(start + 2) == 't'
        && line.getByte(start + 3) == 'a' && line.getByte(start + 4) == ':') {
      int from = start + 5 + (len > 5 && line.getByte(start + 5) == ' ' ? 1 : 0);
      String value = line.toString(from, start + len - from, StandardCharsets.UTF_8);
      if (data == null) {
        data = value;
      } else {
        (more == null ? more = new StringBuilder(data) : more).append('\n').append(value);
      }
    }
  }

  void release() {
    partial.release();
  }
}
