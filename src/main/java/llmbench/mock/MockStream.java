package llmbench.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One request's output: SSE chunks (or one JSON body) prepared before each engine step ends and sent
 * when it ends, faults applied, and the request's ground truth recorded once its last bytes left.
 */
final class MockStream implements Sequence.Output {
  /** What every stream of one server shares. */
  record Context(String[] tokenTexts, String modelId, long created, GroundTruth groundTruth, ChunkShape shape,
      boolean closeAfterStream) {}

  private final Context ctx;
  private final Channel ch;
  private final boolean chat;
  private final String id;
  private final String traceId;
  private final int promptTokens;
  private final int maxTokens;
  private final boolean stream;
  private final boolean includeUsage;
  private final boolean keepAlive;
  private final Faults.Fault fault;
  private final long arrivalNs;
  private final int faultToken;
  private ChunkShape.Stream shape;
  Sequence sequence;
  // touched on the channel's event loop only
  private final List<Long> choiceNs = new ArrayList<>();
  private final List<Long> choiceFlushedNs = new ArrayList<>();
  private final List<Integer> chunkTokens = new ArrayList<>();
  private final int reasoningTokens;
  private final int minTokens;
  private long firstAnswerNs;
  private String finishReason;
  private final long[] dueNs;
  private final long[] sentNs;
  private final StringBuilder text = new StringBuilder();
  private int tokens;
  private long usageNs;
  private long doneNs;
  private boolean ended;
  private boolean stalling;
  private final java.util.ArrayDeque<Runnable> held = new java.util.ArrayDeque<>();

  private final List<String> images;
  private final ToolCalls.Call call;
  /** A shaped answer's tokens (structured output), or null for words. */
  private List<String> shaped;

  /**
   * @param reasoningTokens thinking tokens before the answer (chat requests to a reasoning model)
   * @param chunkUsage usage on every chunk ({@code stream_options.continuous_usage_stats})
   * @param minTokens the request's min_tokens (0: none), for the record
   * @param call the tool call the answer is (its arguments streamed as its tokens), or null for words
   */
  MockStream(Context ctx, Channel ch, boolean chat, String id, String traceId, int promptTokens,
      int maxTokens, boolean stream, boolean includeUsage, boolean keepAlive, Faults.Fault fault,
      long arrivalNs, List<String> images, int reasoningTokens, boolean chunkUsage, int minTokens,
      ToolCalls.Call call) {
    this.ctx = ctx;
    this.call = call;
    this.images = images;
    this.ch = ch;
    this.chat = chat;
    this.id = id;
    this.traceId = traceId;
    this.promptTokens = promptTokens;
    this.maxTokens = maxTokens;
    this.stream = stream;
    this.includeUsage = includeUsage;
    this.keepAlive = keepAlive;
    this.fault = fault;
    this.arrivalNs = arrivalNs;
    this.faultToken = fault.triggerToken(maxTokens);
    this.reasoningTokens = reasoningTokens;
    this.minTokens = minTokens;
    this.shape = new ChunkShape.Stream(id, ctx.modelId(), ctx.created(), chat, promptTokens, includeUsage, chunkUsage,
        reasoningTokens, call, false);
    this.dueNs = new long[maxTokens];
    this.sentNs = new long[maxTokens];
  }

  /** The answer streams as the Responses API's typed events ({@code /v1/responses}), its usage in the last. */
  void responses() {
    shape = new ChunkShape.Stream("resp_" + id, shape.model(), shape.created(), true, shape.promptTokens(), true, false,
        shape.reasoningTokens(), null, true);
  }

  /** The answer is these tokens (a structured output's JSON), ending with "stop" when all were sent. */
  void shaped(List<String> pieces) {
    this.shaped = pieces;
  }

  void sendHeaders() {
    io.netty.handler.codec.http.DefaultHttpResponse res =
        new io.netty.handler.codec.http.DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    res.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    res.headers().set("X-Request-Id", traceId);
    if (!keepAlive) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    ch.writeAndFlush(res);
  }

  @Override
  public Sequence.Delivery prepareChunk(int first, int count, String given, long due) {
    StringBuilder pieces = new StringBuilder();
    for (int i = 0; i < count; i++) {
      pieces.append(call != null ? call.pieces().get(first + i) : shaped != null ? shaped.get(first + i)
          : ctx.tokenTexts()[(int) ((sequence.random.nextLong() & Long.MAX_VALUE) % ctx.tokenTexts().length)]);
    }
    String piece = pieces.toString();
    int last = first + count - 1;
    // a tool call that was not cut short by max_tokens ends as one
    String finishReason = given != null && call != null && last + 1 == call.pieces().size() ? "tool_calls"
        : given != null && shaped != null && last + 1 == shaped.size() ? "stop" : given;
    boolean reasoning = first < reasoningTokens; // the scheduler never lets a chunk cross into the answer
    Faults.Kind kind = fault.kind();
    boolean faultNow = faultToken >= first && faultToken <= last
        && (kind == Faults.Kind.INBAND_ERROR || kind == Faults.Kind.DROP);
    if (faultNow) {
      sequence.cancel();
      return new Sequence.Delivery(ch.eventLoop(), () -> fail(kind));
    }
    if (!stream) {
      return new Sequence.Delivery(ch.eventLoop(), () -> {
        for (int i = first; i <= last; i++) {
          dueNs[i] = due;
          sentNs[i] = System.nanoTime();
        }
        text.append(piece);
        tokens = last + 1;
        if (finishReason != null) {
          finishNonStreaming(finishReason);
        }
      });
    }
    ByteBuf buf = Unpooled.buffer(256);
    int choiceEvents = ctx.shape().chunk(shape, buf, first, count, piece, reasoning, finishReason);
    boolean stallStart = kind == Faults.Kind.STALL && faultToken >= first && faultToken <= last;
    return new Sequence.Delivery(ch.eventLoop(), () -> {
      if (stallStart) {
        ch.eventLoop().schedule(this::releaseHeld, fault.millis(), TimeUnit.MILLISECONDS);
        stalling = true;
      }
      if (stalling) { // sent in order when the stall ends
        held.add(() -> write(first, count, reasoning, due, buf, choiceEvents, finishReason));
      } else {
        write(first, count, reasoning, due, buf, choiceEvents, finishReason);
      }
    });
  }

  private void releaseHeld() {
    stalling = false;
    for (Runnable r; (r = held.poll()) != null; ) {
      r.run();
    }
  }

  private void write(int first, int count, boolean reasoning, long due, ByteBuf buf, int choiceEvents,
      String finishReason) {
    if (ended) {
      buf.release();
      return;
    }
    long now = System.nanoTime();
    for (int i = first; i < first + count; i++) {
      dueNs[i] = due;
      sentNs[i] = now;
    }
    tokens = first + count;
    chunkTokens.add(count);
    if (!reasoning && firstAnswerNs == 0) {
      firstAnswerNs = now;
    }
    this.finishReason = finishReason;
    for (int i = 0; i < choiceEvents; i++) {
      choiceNs.add(now);
    }
    ch.write(new io.netty.handler.codec.http.DefaultHttpContent(buf));
    if (finishReason == null) {
      ch.flush();
      flushed(choiceEvents);
      return;
    }
    usageNs = includeUsage ? now : 0;
    doneNs = now;
    lastContent();
    flushed(choiceEvents);
    end("ok"); // after the flush: recording must not delay the bytes it records
  }

  /** Ends the body; a server like llama.cpp then closes the connection although it announced keep-alive. */
  private void lastContent() {
    var f = ch.writeAndFlush(io.netty.handler.codec.http.LastHttpContent.EMPTY_LAST_CONTENT);
    if (ctx.closeAfterStream()) {
      f.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    }
  }

  /** The bytes are in the kernel now: with the stamp before the write, this brackets the send. */
  private void flushed(int choiceEvents) {
    long now = System.nanoTime();
    for (int i = 0; i < choiceEvents; i++) {
      choiceFlushedNs.add(now);
    }
  }

  private void fail(Faults.Kind kind) {
    if (ended) {
      return;
    }
    if (kind == Faults.Kind.DROP) {
      end("dropped");
      ch.close();
      return;
    }
    ByteBuf buf = Unpooled.buffer(256);
    if (stream) {
      ObjectNode err = MockServer.JSON.createObjectNode();
      err.set("error", HttpReplies.errorBody("Injected in-band error after " + tokens + " tokens", "InternalServerError", 500));
      HttpReplies.sse(buf, err);
      buf.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
      ch.write(new io.netty.handler.codec.http.DefaultHttpContent(buf));
      lastContent();
      doneNs = System.nanoTime();
      end("inband-error");
    } else {
      end("error");
      HttpReplies.sendError(ch, new ApiError(500, "InternalServerError", null, "Injected error"), keepAlive);
    }
  }

  private void finishNonStreaming(String finishReason) {
    ObjectNode body = baseChunk();
    ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
    if (chat && call != null) {
      ObjectNode msg = choice.putObject("message").put("role", "assistant");
      msg.putNull("content");
      msg.putArray("tool_calls").addObject().put("id", call.id()).put("type", "function").putObject("function")
          .put("name", call.name()).put("arguments", text.toString());
    } else if (chat) {
      choice.putObject("message").put("role", "assistant").put("content", text.toString());
    } else {
      choice.put("text", text.toString());
    }
    choice.put("finish_reason", finishReason);
    body.set("usage", usage(tokens));
    doneNs = System.nanoTime();
    choiceNs.add(doneNs);
    choiceFlushedNs.add(doneNs);
    end("ok");
    HttpReplies.send(ch, HttpResponseStatus.OK, body, keepAlive);
  }

  void clientClosed() {
    ch.eventLoop().execute(() -> {
      if (!ended) {
        sequence.cancel();
        end("client-closed");
      }
    });
  }

  private void end(String outcome) {
    ended = true;
    long[] choices = choiceNs.stream().mapToLong(Long::longValue).toArray();
    long[] flushedAt = choiceFlushedNs.stream().mapToLong(Long::longValue).toArray();
    GroundTruth.Arrival arrival = ctx.groundTruth().arrivalOf(traceId);
    ctx.groundTruth().record(new GroundTruth.Trace(traceId, chat ? "chat" : "completions", arrivalNs,
        promptTokens, tokens, choices, flushedAt, java.util.Arrays.copyOf(dueNs, tokens),
        java.util.Arrays.copyOf(sentNs, tokens), usageNs, doneNs, sequence.preemptions,
        fault.kind().name(), outcome, images, chunkTokens.stream().mapToInt(Integer::intValue).toArray(),
        Math.min(reasoningTokens, tokens), firstAnswerNs, minTokens, finishReason, sequence.specDrafts,
        sequence.specAccepted, arrival.traceparent(), arrival.bodySha256()));
  }

  private ObjectNode baseChunk() {
    ObjectNode c = MockServer.JSON.createObjectNode();
    c.put("id", id).put("object", chat ? "chat.completion" : "text_completion")
        .put("created", ctx.created()).put("model", ctx.modelId());
    return c;
  }

  private ObjectNode usage(int completion) {
    return MockServer.JSON.createObjectNode().put("prompt_tokens", promptTokens)
        .put("total_tokens", promptTokens + completion).put("completion_tokens", completion);
  }
}
