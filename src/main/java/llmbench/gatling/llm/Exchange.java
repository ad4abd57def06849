package llmbench.gatling.llm;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import llmbench.server.ServerClient;
import llmbench.trace.FailureKinds;
import llmbench.trace.StreamRecorder;

/**
 * One request on a user's connection, from the write to the end of its answer, all on the user's event
 * loop: every SSE event goes to the recorder stamped with the time its bytes were read; a non-2xx answer
 * is read whole for the server's words; each wait has its own limit. Ends once, with {@link #end}.
 */
final class Exchange {
  /**
   * What the request came to: the HTTP status (0: none), and why it failed (null: it did not);
   * {@code cancelled}: the client closed it on purpose.
   */
  record Outcome(int status, String error, long firstEventNs, long endNs, boolean reusable, boolean cancelled) {}

  interface Done {
    /** The response headers came (or the request failed before them): the wait for headers is over. */
    void headers();

    void ended(Outcome outcome);
  }

  private static final int ERROR_BODY_MAX = 16 * 1024;
  private static final int JSON_BODY_MAX = 64 << 20;

  private final StreamRecorder recorder;
  private final LlmSettings settings;
  private final Done done;
  private final long startNs;
  private SseEvents events;
  private Channel channel;
  private int status;
  private ByteBuf errorBody;
  private ByteBuf jsonBody; // a pooling endpoint's answer: one JSON body, not a stream
  private boolean sawDone;
  private boolean sawChoices;
  private boolean ended;
  private boolean headersSeen;
  private boolean serverKeepsAlive = true;
  private long firstEventNs;
  private long lastBytesNs;
  private ScheduledFuture<?> headersTimer;
  private ScheduledFuture<?> chunkTimer;
  private ScheduledFuture<?> requestTimer;
  private ScheduledFuture<?> cancelTimer;
  private int cancelAfterTokens; // 0: not to be cancelled after a count of tokens
  private long cancelAfterNs; // 0: not to be cancelled after a time
  private int tokens;
  private boolean cancelDue;

  private final StreamWatch watch;

  Exchange(StreamRecorder recorder, LlmSettings settings, StreamWatch watch, Done done) {
    this.watch = watch;
    this.recorder = recorder;
    this.settings = settings;
    this.done = done;
    this.startNs = recorder.startNs();
  }

  /** This request is one the client cancels: after {@code tokens} chunks of its answer, or {@code afterNs} after its start. */
  void cancelAfter(int tokens, long afterNs) {
    this.cancelAfterTokens = tokens;
    this.cancelAfterNs = afterNs;
  }

  /** The request is on its way on {@code ch} (again, on a retry): the waits start. */
  void sent(Channel ch) {
    this.channel = ch;
    cancel(headersTimer);
    cancel(requestTimer);
    var loop = ch.eventLoop();
    if (cancelAfterNs > 0 && cancelTimer == null) {
      cancelTimer = loop.schedule(this::cancelNow, Math.max(1, cancelAfterNs - (System.nanoTime() - startNs)),
          TimeUnit.NANOSECONDS);
    }
    headersTimer = loop.schedule(() -> fail(FailureKinds.noHeaders(settings.headersTimeoutMs() / 1000.0)),
        settings.headersTimeoutMs(), TimeUnit.MILLISECONDS);
    long left = settings.requestTimeoutMs() - (System.nanoTime() - startNs) / 1_000_000;
    requestTimer = loop.schedule(this::requestTimedOut, Math.max(1, left), TimeUnit.MILLISECONDS);
  }

  /** Flushed; {@code afterConnect}: in a later task than the one that stamped its start. */
  void written(boolean afterConnect) {
    watch.sent(System.nanoTime() - startNs, afterConnect);
  }

  void response(HttpResponse res) {
    if (ended) {
      return;
    }
    status = res.status().code();
    serverKeepsAlive = io.netty.handler.codec.http.HttpUtil.isKeepAlive(res);
    cancel(headersTimer);
    headersSeen = true;
    done.headers();
    lastBytesNs = System.nanoTime();
    String type = res.headers().get(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE, "");
    if (status / 100 == 2 && type.contains("json")) {
      jsonBody = channel.alloc().heapBuffer(4096);
      armChunkTimer();
    } else if (status / 100 == 2) {
      events = new SseEvents();
      armChunkTimer();
    } else {
      errorBody = channel.alloc().heapBuffer(512);
    }
  }

  void content(HttpContent c, long readNs) {
    if (ended) {
      return;
    }
    lastBytesNs = readNs;
    ByteBuf bytes = c.content();
    if (errorBody != null) {
      errorBody.writeBytes(bytes, Math.min(bytes.readableBytes(), ERROR_BODY_MAX - errorBody.readableBytes()));
    } else if (jsonBody != null) {
      if (jsonBody.readableBytes() + bytes.readableBytes() > JSON_BODY_MAX) {
        fail("the answer is over " + JSON_BODY_MAX / (1 << 20) + " MiB of JSON: not read");
        return;
      }
      jsonBody.writeBytes(bytes);
      armChunkTimer();
      if (c instanceof LastHttpContent) {
        if (firstEventNs == 0) {
          firstEventNs = readNs;
        }
        if (recorder.onWholeAnswer(jsonBody.toString(StandardCharsets.UTF_8), readNs) == StreamRecorder.Kind.DONE) {
          watch.chunk(true);
        }
        finish(true, readNs);
        return;
      }
    } else if (events != null) {
      events.feed(bytes, event -> {
        if (firstEventNs == 0) {
          firstEventNs = readNs;
        }
        StreamRecorder.Kind kind = recorder.onEvent(event, readNs);
        if (kind == StreamRecorder.Kind.CHOICES) {
          watch.chunk(!sawChoices);
          sawChoices = true;
          if (cancelAfterTokens > 0 && recorder.firstTokenNs() != 0 && ++tokens >= cancelAfterTokens) {
            cancelDue = true; // after this read: the events' buffer is still being read
          }
        } else if (kind == StreamRecorder.Kind.DONE) {
          sawDone = true;
        }
      });
      armChunkTimer();
    }
    if (cancelDue && !(c instanceof LastHttpContent) && !sawDone) {
      cancelNow();
      return;
    }
    if (c instanceof LastHttpContent) {
      if (errorBody != null) {
        String body = errorBody.toString(StandardCharsets.UTF_8);
        fail(FailureKinds.http(status, ServerClient.messageOf(body)), true);
      } else {
        finish(true, readNs);
      }
    }
  }

  /** The connection closed: the answer's end for a server that closes after it, else a failure. */
  void closed() {
    if (ended) {
      return;
    }
    if (sawDone) {
      finish(false, System.nanoTime());
    } else if (status == 0) {
      fail("no answer: the connection closed before the response headers");
    } else if (errorBody != null) {
      fail(FailureKinds.http(status, ServerClient.messageOf(errorBody.toString(StandardCharsets.UTF_8))));
    } else {
      fail(FailureKinds.CLOSED);
    }
  }

  /** The connection failed (reset, TLS, a malformed answer): mid-answer, the tokens so far are kept. */
  void failed(Throwable cause) {
    fail(status != 0 && errorBody == null ? FailureKinds.CLOSED
        : "no answer: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
  }

  /** The connection could not be made. */
  void cannotConnect(Throwable cause) {
    fail(FailureKinds.connect(cause.getMessage() == null ? cause.toString() : cause.getMessage()));
  }

  boolean ended() {
    return ended;
  }

  /** Nothing was read yet: the connection (a kept one the server had closed) may be retried. */
  boolean untouched() {
    return status == 0 && !ended;
  }

  private void requestTimedOut() {
    long silentNs = System.nanoTime() - (lastBytesNs > 0 ? lastBytesNs : startNs);
    long limitNs = settings.requestTimeoutMs() * 1_000_000L;
    fail(status == 0 ? FailureKinds.noHeaders(settings.requestTimeoutMs() / 1000.0)
        : silentNs >= limitNs / 2 ? FailureKinds.timeout(silentNs / 1e9)
        : FailureKinds.slow((int) (settings.requestTimeoutMs() / 1000), 0));
  }

  /**
   * Silence between chunks, counted from the last bytes read. One timer at a time, set when the answer
   * starts and, when it fires while bytes came since, again for what is left: cancelling and scheduling
   * a timer at every chunk cost each event loop a task queue update per chunk.
   */
  private void armChunkTimer() {
    if (chunkTimer == null) {
      scheduleChunkCheck(settings.chunkTimeoutMs() * 1_000_000L);
    }
  }

  private void scheduleChunkCheck(long inNs) {
    chunkTimer = channel.eventLoop().schedule(this::chunkCheck, inNs, TimeUnit.NANOSECONDS);
  }

  private void chunkCheck() {
    long limitNs = settings.chunkTimeoutMs() * 1_000_000L;
    long silentNs = System.nanoTime() - lastBytesNs;
    if (silentNs >= limitNs) {
      fail(FailureKinds.timeout(settings.chunkTimeoutMs() / 1000.0));
    } else if (!ended) {
      scheduleChunkCheck(limitNs - silentNs);
    }
  }

  /** The client closes the stream on purpose: the server sees the connection close and aborts the request. */
  private void cancelNow() {
    if (ended) {
      return;
    }
    long now = System.nanoTime();
    recorder.cancelled(now);
    end(new Outcome(status, null, firstEventNs, now, false, true));
  }

  private void fail(String why) {
    fail(why, false);
  }

  private void fail(String why, boolean reusable) {
    if (ended) {
      return;
    }
    long now = System.nanoTime();
    recorder.failed(why, now);
    end(new Outcome(status, why, firstEventNs, now, reusable && serverKeepsAlive, false));
  }

  /** The answer ended; without [DONE] the recorder says what it was (a finish_reason may still make it a success). */
  private void finish(boolean reusable, long endNs) {
    end(new Outcome(status, null, firstEventNs, endNs, reusable && serverKeepsAlive, false));
  }

  private void end(Outcome outcome) {
    ended = true;
    if (!headersSeen) {
      headersSeen = true;
      done.headers();
    }
    cancel(headersTimer);
    cancel(chunkTimer);
    cancel(requestTimer);
    cancel(cancelTimer);
    if (events != null) {
      events.release();
    }
    if (errorBody != null) {
      errorBody.release();
    }
    if (jsonBody != null) {
      jsonBody.release();
    }
    done.ended(outcome);
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }
}
