package llmbench.gatling;

import io.gatling.core.protocol.Protocol;
import io.gatling.javaapi.core.ProtocolBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import llmbench.cancel.Cancellation;
import llmbench.server.ExtraHeaders;
import llmbench.tls.Tls;
import llmbench.gatling.llm.LlmProtocol;
import llmbench.gatling.llm.LlmRun;
import llmbench.gatling.llm.LlmSettings;
import llmbench.gatling.llm.SimulationRun;

/**
 * The LLM protocol, as {@code setUp(...).protocols(...)} takes it: the server's base URL, its key,
 * the model a request asks for when it names none, the tokenizer folder, whether each user keeps
 * its connection, and the limit of each wait. Immutable: each method returns a new builder. Gatling
 * opens the protocol when the run starts and closes it at its end: nothing to close by hand.
 *
 * <pre>{@code
 * LlmProtocolBuilder protocol = llm.baseUrl("http://localhost:8000").model("my-model").tokenizer("fake_model");
 * }</pre>
 */
public final class LlmProtocolBuilder implements ProtocolBuilder {
  static final LlmProtocolBuilder EMPTY = new LlmProtocolBuilder();

  // each setting's method returns a changed copy (copy()): a builder given out is never changed again
  private String baseUrl;
  private String apiKey = System.getenv("OPENAI_API_KEY");
  private String model;
  private Path tokenizer;
  private boolean keepAlive = true;
  private Duration connectTimeout = Duration.ofSeconds(10);
  private Duration headersTimeout;
  private Duration chunkTimeout;
  private Duration requestTimeout = Duration.ofMinutes(10);
  private Path resultsFolder;
  private LlmRun.Factory run = SimulationRun::new;
  private Tls tls = Tls.VERIFY;
  private ExtraHeaders headers = ExtraHeaders.NONE;
  private Cancellation cancel = Cancellation.NONE;

  private LlmProtocolBuilder() {}

  /** A copy of this builder with {@code change} made to it. */
  private LlmProtocolBuilder copy(java.util.function.Consumer<LlmProtocolBuilder> change) {
    LlmProtocolBuilder b = new LlmProtocolBuilder();
    b.baseUrl = baseUrl;
    b.apiKey = apiKey;
    b.model = model;
    b.tokenizer = tokenizer;
    b.keepAlive = keepAlive;
    b.connectTimeout = connectTimeout;
    b.headersTimeout = headersTimeout;
    b.chunkTimeout = chunkTimeout;
    b.requestTimeout = requestTimeout;
    b.resultsFolder = resultsFolder;
    b.run = run;
    b.tls = tls;
    b.headers = headers;
    b.cancel = cancel;
    change.accept(b);
    return b;
  }

  /** {@code http(s)://HOST:PORT}, the server's root (a trailing {@code /v1} is taken off: the paths carry it). */
  public LlmProtocolBuilder baseUrl(String url) {
    String u = url == null ? "" : url.trim().replaceAll("/+$", "");
    u = u.endsWith("/v1") ? u.substring(0, u.length() - 3) : u;
    URI parsed;
    try {
      parsed = URI.create(u);
    } catch (IllegalArgumentException e) {
      parsed = null;
    }
    if (parsed == null || parsed.getHost() == null
        || !("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))) {
      throw new IllegalArgumentException("llm.baseUrl: '" + url + "' is not an http(s)://HOST:PORT address");
    }
    String root = u;
    return copy(b -> b.baseUrl = root);
  }

  /** Sent as a bearer token, never written anywhere (default: {@code OPENAI_API_KEY}). */
  public LlmProtocolBuilder apiKey(String key) {
    return copy(b -> b.apiKey = key);
  }

  /** The model a request asks for when it names none (default: the first of the server's {@code /v1/models}). */
  public LlmProtocolBuilder model(String name) {
    return copy(b -> b.model = name);
  }

  /** The served model's tokenizer folder (its tokenizer.json), to count output tokens when the server sends no usage. */
  public LlmProtocolBuilder tokenizer(String folder) {
    return tokenizer(Path.of(folder));
  }

  public LlmProtocolBuilder tokenizer(Path folder) {
    return copy(b -> b.tokenizer = folder);
  }

  /** Each virtual user keeps its connection between requests (default), or opens one per request. */
  public LlmProtocolBuilder keepAlive(boolean keep) {
    return copy(b -> b.keepAlive = keep);
  }

  /** How long a connection may take to open (default 10 s, at most the request's timeout). */
  public LlmProtocolBuilder connectTimeout(Duration d) {
    return copy(b -> b.connectTimeout = positive("connectTimeout", d));
  }

  /** How long a request may wait for its response headers (default: the request's timeout). */
  public LlmProtocolBuilder headersTimeout(Duration d) {
    return copy(b -> b.headersTimeout = positive("headersTimeout", d));
  }

  /** How long a stream may stay silent between two reads (default: the request's timeout). */
  public LlmProtocolBuilder chunkTimeout(Duration d) {
    return copy(b -> b.chunkTimeout = positive("chunkTimeout", d));
  }

  /** How long a request may take, start to the end of its answer (default 10 minutes). */
  public LlmProtocolBuilder requestTimeout(Duration d) {
    return copy(b -> b.requestTimeout = positive("requestTimeout", d));
  }

  /**
   * Where Gatling writes its run folders, when the protocol cannot find out (it asks the system for the
   * simulation.log Gatling has open, then {@code -rf}, then {@code target/gatling}).
   */
  public LlmProtocolBuilder resultsFolder(String folder) {
    return copy(b -> b.resultsFolder = Path.of(folder));
  }

  /**
   * An https server's certificate must chain to this CA (a PEM file) instead of the JVM's trust store,
   * and name the host (default: the JVM's store).
   */
  public LlmProtocolBuilder caCert(String pemFile) {
    return copy(b -> b.tls = new Tls(Path.of(pemFile), false));
  }

  /** Any certificate of an https server is trusted, as curl's {@code -k}: the API key goes to whoever answers. */
  public LlmProtocolBuilder insecure() {
    return copy(b -> b.tls = new Tls(null, true));
  }

  /** A header every request carries (the run's own, such as Host or X-Request-Id, are refused). */
  public LlmProtocolBuilder header(String name, String value) {
    java.util.List<String> all = new java.util.ArrayList<>();
    headers.values().forEach((k, v) -> all.add(k + ":" + v));
    all.add(name + ":" + value);
    return headers(ExtraHeaders.parse(all));
  }

  /** The headers every request carries, as a run's {@code --header} options say. */
  public LlmProtocolBuilder headers(ExtraHeaders h) {
    return copy(b -> b.headers = h);
  }

  /** How an https server is trusted, as a run's {@code --ca-cert} or {@code --insecure} says. */
  public LlmProtocolBuilder tls(Tls t) {
    return copy(b -> b.tls = t);
  }

  /**
   * Closes a share of the streams early, as users who leave do: {@code rate} of the requests (evenly
   * spread), each after {@code afterTokens} chunks of its answer. Cancelled requests are counted apart in
   * the LLM results, in no latency statistic; Gatling logs them KO with the words "cancelled by the client".
   */
  public LlmProtocolBuilder cancel(double rate, int afterTokens) {
    return cancel(new Cancellation(rate, afterTokens, null));
  }

  /** The same, each {@code after} its start. */
  public LlmProtocolBuilder cancel(double rate, Duration after) {
    return cancel(new Cancellation(rate, 0, after));
  }

  public LlmProtocolBuilder cancel(Cancellation c) {
    return copy(b -> b.cancel = c);
  }

  /** The same protocol for another kind of run (the seed's sweep: {@code llmbench.gatling.sweep.LlmSweep}). */
  public LlmProtocolBuilder run(LlmRun.Factory kind) {
    return copy(b -> b.run = kind);
  }

  private static Duration positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("llm." + name + " must be a positive duration, not " + d);
    }
    return d;
  }

  @Override
  public Protocol protocol() {
    if (baseUrl == null) {
      throw new IllegalArgumentException("the LLM protocol has no server: llm.baseUrl(\"http://HOST:PORT\")");
    }
    long request = requestTimeout.toMillis();
    long headers = headersTimeout != null ? headersTimeout.toMillis() : request;
    long chunk = chunkTimeout != null ? chunkTimeout.toMillis() : request;
    if (headers > request || chunk > request) {
      throw new IllegalArgumentException("llm." + (headers > request ? "headersTimeout" : "chunkTimeout")
          + " must be at most llm.requestTimeout (" + requestTimeout + ")");
    }
    LlmSettings settings = new LlmSettings(URI.create(baseUrl), apiKey, keepAlive,
        (int) Math.min(connectTimeout.toMillis(), request), headers, chunk, request, tls, this.headers, cancel);
    return new LlmProtocol(settings, model, tokenizer, resultsFolder, run);
  }

  @Override
  public String toString() { // the key stays out of every log line
    return "LlmProtocolBuilder[" + baseUrl + (model == null ? "" : ", model " + model) + (apiKey == null ? "" : ", API key set") + "]";
  }
}
