package llmbench.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetSocketAddress;
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
  private final java.util.Map<String, java.util.concurrent.atomic.LongAdder> requestsByHeader =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<String, java.util.concurrent.atomic.LongAdder> requestsByPath =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final EventLoopGroup group;
  private final ExecutorService workers;
  private final Channel serverChannel;
  private final AtomicLong requestCounter = new AtomicLong();
  private final LoraSlots loras;
  private final Pooling pooling;
  private final AtomicLong connections = new AtomicLong();
  private final SplittableRandom faultRandom;
  private final long created = System.currentTimeMillis() / 1000;
  private final MockStream.Context streamContext;
  private final BusyThreads busy;

  private MockServer(MockConfig config) throws InterruptedException {
    this.config = config;
    this.tokenizer = TextTokenizer.loadOrBuiltin(config.tokenizerDir());
    this.tokenTexts = tokenTexts(tokenizer, config.seed(), config.variedText());
    this.faultRandom = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
    this.groundTruth = new GroundTruth(config.keepTraces(), config.traceFile());
    this.busy = config.busyThreads() > 0 ? new BusyThreads(config.busyThreads()) : null;
    this.scheduler = new Scheduler(config, metrics, busy);
    this.loras = new LoraSlots(config);
    this.pooling = new Pooling(config, tokenizer, groundTruth, requestCounter);
    this.streamContext = new MockStream.Context(tokenTexts, config.modelId(), created, groundTruth,
        ChunkShape.parse(config.chunkShape()), config.closeConnections());
    this.workers = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "mock-worker");
      t.setDaemon(true);
      return t;
    });
    // epoll where it exists (Linux): fewer CPU cycles per chunk than NIO on the 2 cores we share
    boolean epoll = io.netty.channel.epoll.Epoll.isAvailable();
    // named, so that a client sharing the JVM (--mock) can tell the mock's CPU from its own
    this.group = new MultiThreadIoEventLoopGroup(2, new io.netty.util.concurrent.DefaultThreadFactory("mock-io", true),
        epoll ? io.netty.channel.epoll.EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    io.netty.handler.ssl.SslContext tls = config.tlsKeyStore() == null ? null : tls(config);
    scheduler.start();
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(epoll ? io.netty.channel.epoll.EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.incrementAndGet();
            if (tls != null) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc()));
            }
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
    return (config.tlsKeyStore() == null ? "http://" : "https://") + config.host() + ":" + port();
  }

  /** The server side of TLS: the key and certificate of the config's PKCS#12 key store. */
  private static io.netty.handler.ssl.SslContext tls(MockConfig config) {
    char[] password = config.tlsPassword() == null ? new char[0] : config.tlsPassword().toCharArray();
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(config.tlsKeyStore())) {
      java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
      store.load(in, password);
      javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(
          javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      return io.netty.handler.ssl.SslContextBuilder.forServer(keys).build();
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("tls-keystore " + config.tlsKeyStore() + ": " + e.getMessage());
    }
  }

  public MockConfig config() {
    return config;
  }

  /** Requests the mock was sent to {@code path} (GETs included), since it started: what its clients asked. */
  public long requests(String path) {
    java.util.concurrent.atomic.LongAdder n = requestsByPath.get(path);
    return n == null ? 0 : n.sum();
  }

  /** Requests to {@code path} that carried header {@code name} (an {@code X-} one) with this value. */
  public long requests(String path, String name, String value) {
    java.util.concurrent.atomic.LongAdder n = requestsByHeader.get(path + " " + name.toLowerCase(java.util.Locale.ROOT)
        + ": " + value);
    return n == null ? 0 : n.sum();
  }

  public GroundTruth groundTruth() {
    return groundTruth;
  }

  /**
   * A new run begins against this mock (a sweep's repeat): its steps take run {@code run}'s drift
   * factor ({@link MockConfig#runFactor}); the first run's holds from the start.
   */
  public void beginRun(int run) {
    scheduler.beginRun(run);
  }

  /** The step-time factor of the run now served (1 without drift). */
  public double runFactor() {
    return scheduler.runFactor();
  }

  /** TCP connections accepted so far: how many the clients opened (ground truth for keep-alive). */
  public long connectionsAccepted() {
    return connections.get();
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
    if (busy != null) {
      busy.close();
    }
    workers.shutdownNow();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    groundTruth.close();
  }

  /** Pieces of real models' answers that ASCII words lack: Latin-1, UTF-16, surrogate pairs, JSON escapes. */
  private static final String[] VARIED = {" é", "中文", " 😀", "\"", "\\", "\n", "\t", "\u0001", " ü", "\uFFFD", " Ω", "ー"};

  private static String[] tokenTexts(TextTokenizer tok, long seed, boolean varied) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] texts = new String[TOKEN_TEXTS];
    for (int i = 0; i < texts.length; i++) {
      if (varied && i % 3 == 0) {
        texts[i] = VARIED[(i / 3) % VARIED.length];
        continue;
      }
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
      requestsByPath.computeIfAbsent(path, k -> new java.util.concurrent.atomic.LongAdder()).increment();
      for (java.util.Map.Entry<String, String> h : req.headers()) {
        String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
        if (name.startsWith("x-") && !name.equals("x-request-id")) { // a client's own headers (not one per request)
          requestsByHeader.computeIfAbsent(path + " " + name + ": " + h.getValue(),
              k -> new java.util.concurrent.atomic.LongAdder()).increment();
        }
      }
      try {
        if (path.startsWith("/v1/") && config.apiKey() != null
            && !("Bearer " + config.apiKey()).equals(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
          ObjectNode body = JSON.createObjectNode().put("error", "Unauthorized");
          HttpReplies.send(ctx.channel(), HttpResponseStatus.UNAUTHORIZED, body, keepAlive);
          return;
        }
        boolean get = HttpMethod.GET.equals(req.method());
        switch (path) {
          case "/health" -> HttpReplies.sendText(ctx.channel(), HttpResponseStatus.OK, "", "text/plain", keepAlive);
          case "/version" -> HttpReplies.send(ctx.channel(), HttpResponseStatus.OK, // the family it plays, for clients
              JSON.createObjectNode().put("version", "0.0.0+llmbench.mock").put("llmbench_mock_shape",
                  streamContext.shape().name().toLowerCase(java.util.Locale.ROOT)), keepAlive);
          case "/v1/models" -> HttpReplies.send(ctx.channel(), HttpResponseStatus.OK, models(), keepAlive);
          case "/metrics" -> HttpReplies.sendText(ctx.channel(), HttpResponseStatus.OK, metrics.render(config),
              "text/plain; version=0.0.4; charset=utf-8", keepAlive);
          case "/reset_prefix_cache" -> { // vLLM's (with VLLM_SERVER_DEV_MODE=1): POST, empty 200
            if (get) {
              throw new ApiError(405, "MethodNotAllowed", null, "Method Not Allowed");
            }
            scheduler.resetPrefixCache();
            HttpReplies.sendText(ctx.channel(), HttpResponseStatus.OK, "", "text/plain", keepAlive);
          }
          case "/tokenize", "/detokenize", "/v1/completions", "/v1/chat/completions", "/apply-template",
              "/chat_tokenize", "/v1/tokenize", "/v1/responses", "/v1/embeddings", "/v1/rerank" -> {
            if (get) {
              throw new ApiError(405, "MethodNotAllowed", null, "Method Not Allowed");
            }
            byte[] bytes = new byte[req.content().readableBytes()];
            req.content().readBytes(bytes);
            String requestId = req.headers().get("X-Request-Id");
            String traceparent = req.headers().get("traceparent");
            String faultHeader = req.headers().get(Faults.HEADER);
            Channel ch = ctx.channel();
            String p = path;
            workers.execute(() -> {
              groundTruth.arrived(requestId, traceparent, bytes); // hashes the body: off the event loop
              handlePost(ch, p, bytes, requestId, faultHeader, keepAlive, arrivalNs);
            });
          }
          default -> {
            if (!path.startsWith("/tools/")) {
              throw new ApiError(404, "NotFoundError", null, "Not Found");
            }
            HttpReplies.send(ctx.channel(), HttpResponseStatus.OK, ToolCalls.answer(req.uri()), keepAlive);
          }
        }
      } catch (ApiError e) {
        HttpReplies.sendError(ctx.channel(), e, keepAlive);
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
        case "/tokenize", "/apply-template", "/chat_tokenize", "/v1/tokenize" -> {
          if (!config.tokenize()) {
            throw new ApiError(404, "NotFoundError", null, "Not Found");
          }
          HttpReplies.send(ch, HttpResponseStatus.OK, FamilyTokenize.answer(streamContext.shape(), path, body,
              tokenizer, config.maxModelLen()), keepAlive);
        }
        case "/detokenize" -> HttpReplies.send(ch, HttpResponseStatus.OK, detokenize(body), keepAlive);
        case "/v1/responses" -> generate(ch, true, Pooling.responsesAsChat(body), requestId, faultHeader, keepAlive,
            arrivalNs, true);
        case "/v1/embeddings", "/v1/rerank" -> pooling.answer(ch, path, body, requestId, keepAlive, arrivalNs);
        default -> generate(ch, path.endsWith("/chat/completions"), body, requestId, faultHeader,
            keepAlive, arrivalNs, false);
      }
    } catch (ApiError e) {
      HttpReplies.sendError(ch, e, keepAlive);
    } catch (RuntimeException e) {
      HttpReplies.sendError(ch, new ApiError(500, "InternalServerError", null, String.valueOf(e.getMessage())), keepAlive);
    }
  }

  private ObjectNode models() {
    ObjectNode root = JSON.createObjectNode().put("object", "list");
    var data = root.putArray("data");
    ObjectNode m = data.addObject();
    m.put("id", config.modelId()).put("object", "model").put("created", created)
        .put("owned_by", "vllm").put("root", config.modelId()).putNull("parent")
        .put("max_model_len", config.maxModelLen());
    for (String lora : config.loraModules()) { // as vLLM lists them: the adapter, its parent the base model
      data.addObject().put("id", lora).put("object", "model").put("created", created).put("owned_by", "vllm")
          .put("root", "/adapters/" + lora).put("parent", config.modelId()).put("max_model_len", config.maxModelLen());
    }
    return root;
  }

  private ObjectNode detokenize(JsonNode body) {
    JsonNode tokens = body.path("tokens");
    long[] ids = new long[tokens.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = tokens.get(i).asLong();
    }
    return JSON.createObjectNode().put("prompt", tokenizer.decode(ids));
  }

  /** The prompt's token count (images included) and its text's token ids (for the prefix cache). */
  private record Prompt(int tokens, long[] textIds) {}

  private Prompt prompt(boolean chat, JsonNode body, List<String> images) {
    if (chat) {
      JsonNode messages = body.path("messages");
      if (!messages.isArray() || messages.isEmpty()) {
        throw ApiError.badRequest("'messages' must be a non-empty list");
      }
      // llama.cpp adds the model's special tokens (Mistral's BOS) to the templated text; vLLM does not
      long[] ids = tokenizer.encode(ChatTemplate.render(messages, body.get("tools")),
          streamContext.shape() == ChunkShape.LLAMACPP);
      int n = ids.length;
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
      return new Prompt(n, ids);
    }
    JsonNode prompt = body.get("prompt");
    if (prompt == null) {
      throw ApiError.badRequest("'prompt' is required");
    }
    if (prompt.isArray() && !prompt.isEmpty() && prompt.get(0).isNumber()) {
      long[] ids = new long[prompt.size()]; // token ids: vLLM adds no BOS to them
      for (int i = 0; i < ids.length; i++) {
        ids[i] = prompt.get(i).asLong();
      }
      return new Prompt(ids.length, ids);
    }
    if (prompt.isTextual()) {
      long[] ids = tokenizer.encode(prompt.asText(), true);
      return new Prompt(ids.length, ids);
    }
    throw ApiError.badRequest("'prompt' must be a string or a list of token ids");
  }

  /** @param responses answered as the Responses API's typed events ({@code body} made a chat request's) */
  private void generate(Channel ch, boolean chat, JsonNode body, String requestIdHeader,
      String faultHeader, boolean keepAlive, long arrivalNs, boolean responses) {
    String model = body.path("model").asText(null);
    if (model != null && !model.equals(config.modelId()) && !config.loraModules().contains(model)) {
      throw new ApiError(404, "NotFoundError", "model", "The model `" + model + "` does not exist.");
    }
    List<String> images = new ArrayList<>();
    Prompt parsed = prompt(chat, body, images);
    int prompt = parsed.tokens();
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
    boolean chunkUsage = includeUsage && body.path("stream_options").path("continuous_usage_stats").asBoolean(false);
    // a tool call is exactly its arguments' tokens long (fewer when max_tokens cuts it)
    boolean broken = fault.kind() == Faults.Kind.INVALID;
    ToolCalls.Call call = chat ? ToolCalls.of(body, Long.toString(n), config.seed() * 31 + n, broken) : null;
    List<String> shaped = call == null ? SchemaAnswers.forBody(body, config.seed() * 31 + n, broken) : null;
    int outTokens = call != null ? Math.min(maxTokens, call.pieces().size())
        : shaped != null ? Math.min(maxTokens, shaped.size()) : maxTokens;
    int reasoning = chat && call == null ? config.reasoningFor(maxTokens) : 0;
    int minTokens = body.path("min_tokens").asInt(0);
    MockStream out = new MockStream(streamContext, ch, chat, id, traceId, prompt, outTokens, stream,
        includeUsage, keepAlive, fault, arrivalNs, images, reasoning, chunkUsage, minTokens, call);
    if (shaped != null) {
      out.shaped(shaped);
    }
    boolean scripted = call != null || shaped != null;
    Sequence seq = new Sequence(traceId, prompt, outTokens, scripted ? 0 : minTokens,
        scripted || body.path("ignore_eos").asBoolean(false), arrivalNs, config.seed() * 31 + n, out);
    seq.reasoningTokens = reasoning;
    if (config.prefixCaching() && images.isEmpty()) { // image tokens would need the image's hash: none cached
      seq.blockHashes = PrefixCache.blockHashes(parsed.textIds(), config.blockSize());
    }
    out.sequence = seq;
    if (responses) {
      out.responses();
    }
    ch.closeFuture().addListener(f -> out.clientClosed());
    Runnable begin = () -> {
      if (stream) {
        out.sendHeaders();
      }
      scheduler.submit(seq);
    };
    long waitMs = (fault.kind() == Faults.Kind.SLOW_FIRST ? fault.millis() : 0) + loras.loadMs(model);
    if (waitMs > 0) {
      ch.eventLoop().schedule(begin, waitMs, TimeUnit.MILLISECONDS);
    } else {
      begin.run();
    }
  }

  /** One request's output: SSE chunks or one JSON body, and its ground truth. */
}
