package llmbench.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import llmbench.prompt.TextTokenizer;

/**
 * A vLLM-compatible OpenAI server whose timing comes from a simulated engine ({@link Scheduler}).
 * In-process: {@code MockServer.start(config)}; standalone: {@code ./mock_server.sh}.
 */
public final class MockServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int TOKEN_TEXTS = 1024;

  private final MockConfig config;
  private final TextTokenizer tokenizer;
  private final String[] tokenTexts;
  private final MockMetrics metrics = new MockMetrics();
  private final Scheduler scheduler;
  private final GroundTruth groundTruth;
  private final EventLoopGroup group;
  private final ExecutorService workers;
  private final Channel serverChannel;
  private final AtomicLong requestCounter = new AtomicLong();
  private final SplittableRandom faultRandom;
  private final long created = System.currentTimeMillis() / 1000;

  private MockServer(MockConfig config) throws InterruptedException {
    this.config = config;
    this.tokenizer = TextTokenizer.loadOrBuiltin(config.tokenizerDir());
    this.tokenTexts = tokenTexts(tokenizer, config.seed());
    this.faultRandom = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
    this.groundTruth = new GroundTruth(config.keepTraces(), config.traceFile());
    this.scheduler = new Scheduler(config, metrics);
    this.workers = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "mock-worker");
      t.setDaemon(true);
      return t;
    });
    // epoll where it exists (Linux): fewer CPU cycles per chunk than NIO on the 2 cores we share
    boolean epoll = io.netty.channel.epoll.Epoll.isAvailable();
    this.group = new MultiThreadIoEventLoopGroup(2,
        epoll ? io.netty.channel.epoll.EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    scheduler.start();
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(epoll ? io.netty.channel.epoll.EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(256 << 20), new Handler());
          }
        });
    this.serverChannel = b.bind(config.host(), config.port()).sync().channel();
  }

  public static MockServer start(MockConfig config) {
    try {
      return new MockServer(config);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  public String baseUrl() {
    return "http://" + config.host() + ":" + port();
  }

  public MockConfig config() {
    return config;
  }

  public GroundTruth groundTruth() {
    return groundTruth;
  }

  public long preemptions() {
    return metrics.preemptions();
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
    scheduler.stop();
    workers.shutdownNow();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    groundTruth.close();
  }

  private static String[] tokenTexts(TextTokenizer tok, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] texts = new String[TOKEN_TEXTS];
    for (int i = 0; i < texts.length; i++) {
      long id;
      do {
        id = r.nextInt(tok.vocabSize());
      } while (tok.isSpecial(id));
      String t = tok.decode(new long[] {id});
      texts[i] = t.isEmpty() ? " " : t;
    }
    return texts;
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      String path = req.uri();
      int q = path.indexOf('?');
      if (q >= 0) {
        path = path.substring(0, q);
      }
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      long arrivalNs = System.nanoTime();
      try {
        if (path.startsWith("/v1/") && config.apiKey() != null
            && !("Bearer " + config.apiKey()).equals(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
          ObjectNode body = JSON.createObjectNode().put("error", "Unauthorized");
          send(ctx.channel(), HttpResponseStatus.UNAUTHORIZED, body, keepAlive);
          return;
        }
        boolean get = HttpMethod.GET.equals(req.method());
        switch (path) {
          case "/health" -> sendText(ctx.channel(), HttpResponseStatus.OK, "", "text/plain", keepAlive);
          case "/version" -> send(ctx.channel(), HttpResponseStatus.OK,
              JSON.createObjectNode().put("version", "0.0.0+llmbench.mock"), keepAlive);
          case "/v1/models" -> send(ctx.channel(), HttpResponseStatus.OK, models(), keepAlive);
          case "/metrics" -> sendText(ctx.channel(), HttpResponseStatus.OK, metrics.render(config),
              "text/plain; version=0.0.4; charset=utf-8", keepAlive);
          case "/tokenize", "/detokenize", "/v1/completions", "/v1/chat/completions" -> {
            if (get) {
              throw new ApiError(405, "MethodNotAllowed", null, "Method Not Allowed");
            }
            byte[] bytes = new byte[req.content().readableBytes()];
            req.content().readBytes(bytes);
            String requestId = req.headers().get("X-Request-Id");
            String faultHeader = req.headers().get(Faults.HEADER);
            Channel ch = ctx.channel();
            String p = path;
            workers.execute(() -> handlePost(ch, p, bytes, requestId, faultHeader, keepAlive, arrivalNs));
          }
          default -> throw new ApiError(404, "NotFoundError", null, "Not Found");
        }
      } catch (ApiError e) {
        sendError(ctx.channel(), e, keepAlive);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private void handlePost(Channel ch, String path, byte[] bytes, String requestId, String faultHeader,
      boolean keepAlive, long arrivalNs) {
    try {
      JsonNode body;
      try {
        body = JSON.readTree(bytes);
      } catch (java.io.IOException e) {
        throw ApiError.badRequest("invalid JSON body: " + e.getMessage().lines().findFirst().orElse(""));
      }
      if (body == null || !body.isObject()) {
        throw ApiError.badRequest("request body must be a JSON object");
      }
      switch (path) {
        case "/tokenize" -> send(ch, HttpResponseStatus.OK, tokenize(body), keepAlive);
        case "/detokenize" -> send(ch, HttpResponseStatus.OK, detokenize(body), keepAlive);
        default -> generate(ch, path.endsWith("/chat/completions"), body, requestId, faultHeader,
            keepAlive, arrivalNs);
      }
    } catch (ApiError e) {
      sendError(ch, e, keepAlive);
    } catch (RuntimeException e) {
      sendError(ch, new ApiError(500, "InternalServerError", null, String.valueOf(e.getMessage())), keepAlive);
    }
  }

  private ObjectNode models() {
    ObjectNode root = JSON.createObjectNode().put("object", "list");
    ObjectNode m = root.putArray("data").addObject();
    m.put("id", config.modelId()).put("object", "model").put("created", created)
        .put("owned_by", "vllm").put("root", config.modelId()).putNull("parent")
        .put("max_model_len", config.maxModelLen());
    return root;
  }

  private ObjectNode tokenize(JsonNode body) {
    long[] ids;
    if (body.has("messages")) {
      ids = tokenizer.encode(ChatTemplate.render(body.get("messages")),
          body.path("add_special_tokens").asBoolean(false));
    } else {
      ids = tokenizer.encode(body.path("prompt").asText(""), body.path("add_special_tokens").asBoolean(true));
    }
    ObjectNode out = JSON.createObjectNode().put("count", ids.length).put("max_model_len", config.maxModelLen());
    ArrayNode tokens = out.putArray("tokens");
    for (long id : ids) {
      tokens.add(id);
    }
    out.putNull("token_strs");
    return out;
  }

  private ObjectNode detokenize(JsonNode body) {
    JsonNode tokens = body.path("tokens");
    long[] ids = new long[tokens.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = tokens.get(i).asLong();
    }
    return JSON.createObjectNode().put("prompt", tokenizer.decode(ids));
  }

  private int promptTokens(boolean chat, JsonNode body, List<String> images) {
    if (chat) {
      JsonNode messages = body.path("messages");
      if (!messages.isArray() || messages.isEmpty()) {
        throw ApiError.badRequest("'messages' must be a non-empty list");
      }
      int n = tokenizer.count(ChatTemplate.render(messages), false);
      for (JsonNode m : messages) {
        for (JsonNode part : m.path("content")) {
          if ("image_url".equals(part.path("type").asText())) {
            ImageTokens.Size size;
            String url = part.path("image_url").path("url").asText(null);
            try {
              size = ImageTokens.sizeOf(url);
            } catch (IllegalArgumentException e) {
              throw ApiError.badRequest(e.getMessage());
            }
            images.add(size.width() + "x" + size.height() + " " + url.substring(5, url.indexOf(';'))
                + " " + ImageTokens.digest(url));
            n += ImageTokens.tokens(size.width(), size.height(), config.imageMinPixels(), config.imageMaxPixels());
          }
        }
      }
      return n;
    }
    JsonNode prompt = body.get("prompt");
    if (prompt == null) {
      throw ApiError.badRequest("'prompt' is required");
    }
    if (prompt.isArray() && !prompt.isEmpty() && prompt.get(0).isNumber()) {
      return prompt.size(); // token ids: vLLM adds no BOS to them
    }
    if (prompt.isTextual()) {
      return tokenizer.count(prompt.asText(), true);
    }
    throw ApiError.badRequest("'prompt' must be a string or a list of token ids");
  }

  private void generate(Channel ch, boolean chat, JsonNode body, String requestIdHeader,
      String faultHeader, boolean keepAlive, long arrivalNs) {
    String model = body.path("model").asText(null);
    if (model != null && !model.equals(config.modelId())) {
      throw new ApiError(404, "NotFoundError", "model", "The model `" + model + "` does not exist.");
    }
    List<String> images = new ArrayList<>();
    int prompt = promptTokens(chat, body, images);
    if (prompt > config.maxModelLen()) {
      throw ApiError.badRequest("This model's maximum context length is " + config.maxModelLen()
          + " tokens. However, your request has " + prompt
          + " input tokens. Please reduce the length of the input messages.");
    }
    JsonNode maxNode = chat && body.hasNonNull("max_completion_tokens")
        ? body.get("max_completion_tokens") : body.get("max_tokens");
    int maxTokens = maxNode == null || maxNode.isNull()
        ? (chat ? config.maxModelLen() - prompt : 16) : maxNode.asInt();
    if (maxTokens < 1) {
      throw ApiError.badRequest("max_tokens must be at least 1, got " + maxTokens + ".");
    }
    if (prompt + maxTokens > config.maxModelLen()) {
      throw ApiError.badRequest("'max_tokens' or 'max_completion_tokens' is too large: " + maxTokens
          + ". This model's maximum context length is " + config.maxModelLen()
          + " tokens and your request has " + prompt + " input tokens (" + maxTokens + " > "
          + config.maxModelLen() + " - " + prompt + ").");
    }
    Faults.Fault fault;
    try {
      fault = Faults.parseHeader(faultHeader);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    long n = requestCounter.incrementAndGet();
    if (fault == null) {
      synchronized (faultRandom) {
        fault = config.faults().pick(faultRandom);
      }
    }
    switch (fault.kind()) {
      case HTTP_429 -> throw new ApiError(429, "TooManyRequests", null, "Too many requests (injected fault)");
      case HTTP_500 -> throw new ApiError(500, "InternalServerError", null, "Internal server error (injected fault)");
      case HTTP_503 -> throw new ApiError(503, "ServiceUnavailable", null, "Service unavailable (injected fault)");
      default -> { }
    }
    // unique per POST even when a client repeats its X-Request-Id, as on an SSE reconnect
    String id = (chat ? "chatcmpl-" : "cmpl-") + n;
    String traceId = requestIdHeader != null ? requestIdHeader : id;
    boolean stream = body.path("stream").asBoolean(false);
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    Stream out = new Stream(ch, chat, id, traceId, prompt, maxTokens, stream, includeUsage, keepAlive,
        fault, arrivalNs, images);
    Sequence seq = new Sequence(traceId, prompt, maxTokens, body.path("min_tokens").asInt(0),
        body.path("ignore_eos").asBoolean(false), arrivalNs, config.seed() * 31 + n, out);
    out.sequence = seq;
    ch.closeFuture().addListener(f -> out.clientClosed());
    Runnable begin = () -> {
      if (stream) {
        out.sendHeaders();
      }
      scheduler.submit(seq);
    };
    if (fault.kind() == Faults.Kind.SLOW_FIRST) {
      ch.eventLoop().schedule(begin, fault.millis(), TimeUnit.MILLISECONDS);
    } else {
      begin.run();
    }
  }

  /** One request's output: SSE chunks or one JSON body, and its ground truth. */
  private final class Stream implements Sequence.Output {
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
    Sequence sequence;
    // touched on the channel's event loop only
    private final List<Long> choiceNs = new ArrayList<>();
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

    Stream(Channel ch, boolean chat, String id, String traceId, int promptTokens, int maxTokens,
        boolean stream, boolean includeUsage, boolean keepAlive, Faults.Fault fault, long arrivalNs,
        List<String> images) {
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
      this.dueNs = new long[maxTokens];
      this.sentNs = new long[maxTokens];
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
    public Sequence.Delivery prepareToken(int index, String finishReason, long due) {
      String piece = tokenTexts[(int) ((sequence.random.nextLong() & Long.MAX_VALUE) % tokenTexts.length)];
      Faults.Kind kind = fault.kind();
      boolean faultNow = index == faultToken
          && (kind == Faults.Kind.INBAND_ERROR || kind == Faults.Kind.DROP);
      if (faultNow) {
        sequence.cancel();
        return new Sequence.Delivery(ch.eventLoop(), () -> fail(kind));
      }
      if (!stream) {
        return new Sequence.Delivery(ch.eventLoop(), () -> {
          dueNs[index] = due;
          sentNs[index] = System.nanoTime();
          text.append(piece);
          tokens = index + 1;
          if (finishReason != null) {
            finishNonStreaming(finishReason);
          }
        });
      }
      ByteBuf buf = Unpooled.buffer(256);
      if (chat && index == 0) {
        ObjectNode role = JSON.createObjectNode().put("role", "assistant").put("content", "");
        sse(buf, chunk(role, null));
      }
      JsonNode delta = chat ? JSON.createObjectNode().put("content", piece) : null;
      sse(buf, chat ? chunk(delta, finishReason) : completionChunk(piece, finishReason));
      if (finishReason != null) {
        if (includeUsage) {
          ObjectNode usage = baseChunk();
          usage.putArray("choices");
          usage.set("usage", usage(index + 1));
          sse(buf, usage);
        }
        buf.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
      }
      boolean stallStart = kind == Faults.Kind.STALL && index == faultToken;
      return new Sequence.Delivery(ch.eventLoop(), () -> {
        if (stallStart) {
          ch.eventLoop().schedule(this::releaseHeld, fault.millis(), TimeUnit.MILLISECONDS);
          stalling = true;
        }
        if (stalling) {
          held.add(() -> write(index, due, buf, finishReason)); // sent in order when the stall ends
        } else {
          write(index, due, buf, finishReason);
        }
      });
    }

    private void releaseHeld() {
      stalling = false;
      for (Runnable r; (r = held.poll()) != null; ) {
        r.run();
      }
    }

    private void write(int index, long due, ByteBuf buf, String finishReason) {
      if (ended) {
        buf.release();
        return;
      }
      long now = System.nanoTime();
      dueNs[index] = due;
      sentNs[index] = now;
      tokens = index + 1;
      choiceNs.add(now);
      if (chat && index == 0) {
        choiceNs.add(now);
      }
      ch.write(new io.netty.handler.codec.http.DefaultHttpContent(buf));
      if (finishReason == null) {
        ch.flush();
        return;
      }
      usageNs = includeUsage ? now : 0;
      doneNs = now;
      ch.writeAndFlush(io.netty.handler.codec.http.LastHttpContent.EMPTY_LAST_CONTENT);
      end("ok"); // after the flush: recording must not delay the bytes it records
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
        ObjectNode err = JSON.createObjectNode();
        err.set("error", errorBody("Injected in-band error after " + tokens + " tokens", "InternalServerError", 500));
        sse(buf, err);
        buf.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
        ch.write(new io.netty.handler.codec.http.DefaultHttpContent(buf));
        ch.writeAndFlush(io.netty.handler.codec.http.LastHttpContent.EMPTY_LAST_CONTENT);
        doneNs = System.nanoTime();
        end("inband-error");
      } else {
        end("error");
        sendError(ch, new ApiError(500, "InternalServerError", null, "Injected error"), keepAlive);
      }
    }

    private void finishNonStreaming(String finishReason) {
      ObjectNode body = baseChunk();
      body.put("object", chat ? "chat.completion" : "text_completion");
      ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
      if (chat) {
        choice.putObject("message").put("role", "assistant").put("content", text.toString());
      } else {
        choice.put("text", text.toString());
      }
      choice.put("finish_reason", finishReason);
      body.set("usage", usage(tokens));
      doneNs = System.nanoTime();
      choiceNs.add(doneNs);
      end("ok");
      send(ch, HttpResponseStatus.OK, body, keepAlive);
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
      groundTruth.record(new GroundTruth.Trace(traceId, chat ? "chat" : "completions", arrivalNs,
          promptTokens, tokens, choices, java.util.Arrays.copyOf(dueNs, tokens),
          java.util.Arrays.copyOf(sentNs, tokens), usageNs, doneNs, sequence.preemptions,
          fault.kind().name(), outcome, images));
    }

    private ObjectNode baseChunk() {
      ObjectNode c = JSON.createObjectNode();
      c.put("id", id).put("object", chat ? "chat.completion.chunk" : "text_completion")
          .put("created", created).put("model", config.modelId());
      return c;
    }

    private ObjectNode chunk(JsonNode delta, String finishReason) {
      ObjectNode c = baseChunk();
      ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
      choice.set("delta", delta);
      choice.putNull("logprobs");
      choice.put("finish_reason", finishReason);
      return c;
    }

    private ObjectNode completionChunk(String piece, String finishReason) {
      ObjectNode c = baseChunk();
      ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
      choice.put("text", piece).putNull("logprobs").put("finish_reason", finishReason);
      if (finishReason != null) {
        choice.putNull("stop_reason");
      }
      return c;
    }

    private ObjectNode usage(int completion) {
      return JSON.createObjectNode().put("prompt_tokens", promptTokens)
          .put("total_tokens", promptTokens + completion).put("completion_tokens", completion);
    }
  }

  private static void sse(ByteBuf buf, JsonNode node) {
    try {
      buf.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
      buf.writeBytes(JSON.writeValueAsBytes(node));
      buf.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode errorBody(String message, String type, int code) {
    ObjectNode e = JSON.createObjectNode().put("message", message).put("type", type);
    e.putNull("param");
    e.put("code", code);
    return e;
  }

  private static void sendError(Channel ch, ApiError e, boolean keepAlive) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode err = errorBody(e.getMessage(), e.type, e.status);
    if (e.param != null) {
      err.put("param", e.param);
    }
    body.set("error", err);
    send(ch, HttpResponseStatus.valueOf(e.status), body, keepAlive);
  }

  private static void send(Channel ch, HttpResponseStatus status, JsonNode body, boolean keepAlive) {
    try {
      sendBytes(ch, status, JSON.writeValueAsBytes(body), "application/json", keepAlive);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sendText(Channel ch, HttpResponseStatus status, String text, String type, boolean keepAlive) {
    sendBytes(ch, status, text.getBytes(StandardCharsets.UTF_8), type, keepAlive);
  }

  private static void sendBytes(Channel ch, HttpResponseStatus status, byte[] bytes, String type, boolean keepAlive) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    if (!keepAlive) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ch.writeAndFlush(res).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    } else {
      ch.writeAndFlush(res);
    }
  }
}
