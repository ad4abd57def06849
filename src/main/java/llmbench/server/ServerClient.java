package llmbench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import llmbench.tls.Tls;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import llmbench.openai.StreamChunk;

/**
 * Plain HTTP calls made before and after the measurement (discovery, /tokenize, the preflight
 * request), never during it. The API key goes into the Authorization header and nowhere else.
 */
public final class ServerClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String baseUrl;
  private final String apiKey;
  private final Duration streamTimeout;
  private final HttpClient http;
  private final ExtraHeaders headers;

  /** A server answer that stops the run, with the server's own message. */
  public static final class ServerError extends RuntimeException {
    public final int status;

    public ServerError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  public record ModelInfo(String id, Integer maxModelLen, String ownedBy) {}

  /** What one streamed preflight request showed. */
  public record Preflight(int promptTokens, int completionTokens, int chunksWithChoices) {}

  public ServerClient(String baseUrl, String apiKey, Tls tls) {
    this(baseUrl, apiKey, Duration.ofMinutes(10), tls);
  }

  /**
   * @param streamTimeout how long a streamed request (the preflight's) may wait for its response headers
   * @param tls how an https server's certificate is trusted
   */
  public ServerClient(String baseUrl, String apiKey, Duration streamTimeout, Tls tls) {
    this(baseUrl, apiKey, streamTimeout, tls, ExtraHeaders.NONE);
  }

  /** @param headers sent with every request ({@code --header}) */
  public ServerClient(String baseUrl, String apiKey, Duration streamTimeout, Tls tls, ExtraHeaders headers) {
    this.headers = headers;
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.streamTimeout = streamTimeout;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (baseUrl.regionMatches(true, 0, "https:", 0, 6)) {
      b.sslContext(tls.sslContext());
    }
    this.http = b.build();
  }

  /** The headers every request carries beyond the client's own. */
  public ExtraHeaders headers() {
    return headers;
  }

  public ModelInfo model() {
    JsonNode root = getJson("/v1/models");
    JsonNode first = root.path("data").path(0);
    if (first.isMissingNode()) {
      throw new ServerError(0, baseUrl + "/v1/models lists no model");
    }
    JsonNode len = first.get("max_model_len");
    return new ModelInfo(first.path("id").asText(), len == null || len.isNull() ? null : len.asInt(),
        first.path("owned_by").asText(""));
  }

  /** Every model id {@code /v1/models} lists (vLLM lists its LoRA adapters beside the base model). */
  public java.util.List<String> modelIds() {
    java.util.List<String> ids = new java.util.ArrayList<>();
    getJson("/v1/models").path("data").forEach(m -> ids.add(m.path("id").asText()));
    return ids;
  }

  /** The server's token count of a prompt (vLLM /tokenize), or null when the server has no /tokenize. */
  public Integer tokenize(String model, String prompt) {
    ObjectNode body = JSON.createObjectNode().put("model", model).put("prompt", prompt);
    return countOrNull("/tokenize", body);
  }

  /**
   * llama.cpp's count of a completion's text as it serves it (its {@code /tokenize} of {@code content},
   * the model's special tokens added: a BOS for Mistral's); null when it does not answer.
   */
  public Integer tokenizeText(String text) {
    try {
      JsonNode ids = postJson("/tokenize", JSON.createObjectNode().put("content", text).put("add_special", true));
      return ids == null || !ids.path("tokens").isArray() ? null : ids.get("tokens").size();
    } catch (IOException e) {
      return null;
    }
  }

  /** {@code max_model_len} from vLLM's /tokenize answer, or null. */
  public Integer tokenizeMaxModelLen(String model) {
    try {
      HttpResponse<String> res = post("/tokenize",
          JSON.writeValueAsBytes(JSON.createObjectNode().put("model", model).put("prompt", "a")));
      JsonNode n = res.statusCode() == 200 ? JSON.readTree(res.body()).get("max_model_len") : null;
      return n == null || !n.isNumber() ? null : n.asInt();
    } catch (IOException e) {
      return null;
    }
  }

  /** A GET that may fail: the parsed JSON, or null for any error or non-JSON answer. */
  public JsonNode getJsonOrNull(String path) {
    try {
      return getJson(path);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A GET's status and body as text; status 0 when nothing answered. */
  public record Answer(int status, String body) {}

  /** The built-in mock says so in /version; only then may the built-in tokenizer stand in. */
  public boolean isBuiltinMock() {
    Answer v = getText("/version");
    return v.status() == 200 && v.body().contains("llmbench.mock");
  }

  public Answer getText(String path) {
    return getText(path, Duration.ofSeconds(10));
  }

  public Answer getText(String path, Duration timeout) {
    try {
      HttpResponse<String> res = http.send(request(path).GET().timeout(timeout).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Answer(res.statusCode(), res.body());
    } catch (IOException e) {
      return new Answer(0, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, "interrupted");
    }
  }

  /**
   * The server's token count of a chat conversation with one user message, template included, in its
   * family's way (FIELD_NOTES §23): vLLM's and SGLang's /tokenize with {@code messages} (SGLang's newer
   * /v1/tokenize too), llama.cpp's /apply-template then /tokenize of the text, TGI's /chat_tokenize.
   * Null when the server offers none of them.
   */
  public Integer tokenizeChat(String model, String userText, Family family) {
    ObjectNode chat = JSON.createObjectNode().put("model", model);
    chat.putArray("messages").addObject().put("role", "user").put("content", userText);
    try {
      switch (family) {
        case LLAMACPP -> {
          // newer builds count a chat body exactly as they would serve it
          JsonNode counted = postJson("/v1/chat/completions/input_tokens", chat);
          if (counted != null && counted.path("input_tokens").isInt()) {
            return counted.get("input_tokens").asInt();
          }
          JsonNode templated = postJson("/apply-template", chat);
          if (templated == null || !templated.path("prompt").isTextual()) {
            return null;
          }
          // the server tokenizes a chat's templated text with the model's special tokens added (a BOS
          // for Mistral), which /tokenize leaves out unless asked
          JsonNode ids = postJson("/tokenize", JSON.createObjectNode().put("content", templated.get("prompt").asText())
              .put("add_special", true).put("parse_special", true));
          return ids == null || !ids.path("tokens").isArray() ? null : ids.get("tokens").size();
        }
        case TGI -> {
          JsonNode r = postJson("/chat_tokenize", chat);
          return r == null || !r.path("tokenize_response").isArray() ? null : r.get("tokenize_response").size();
        }
        default -> {
          chat.put("add_generation_prompt", true);
          Integer n = countOrNull("/tokenize", chat);
          return n != null || family != Family.SGLANG ? n : countOrNull("/v1/tokenize", chat);
        }
      }
    } catch (IOException e) {
      return null;
    }
  }

  /** A POST's JSON answer, or null when it was not 200. */
  private JsonNode postJson(String path, ObjectNode body) throws IOException {
    HttpResponse<String> res = post(path, JSON.writeValueAsBytes(body));
    return res.statusCode() == 200 ? JSON.readTree(res.body()) : null;
  }

  private Integer countOrNull(String path, ObjectNode body) {
    try {
      HttpResponse<String> res = post(path, JSON.writeValueAsBytes(body));
      if (res.statusCode() != 200) {
        return null;
      }
      return JSON.readTree(res.body()).path("count").asInt();
    } catch (IOException e) {
      return null;
    }
  }

  /** Sends one streamed request and reads it to the end; a non-200 answer throws with the server's message. */
  public Preflight stream(String path, byte[] body) {
    HttpRequest req = request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(streamTimeout).build();
    try {
      HttpResponse<java.io.InputStream> res;
      try {
        res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      } catch (java.net.http.HttpTimeoutException e) {
        if (e instanceof java.net.http.HttpConnectTimeoutException) {
          throw unreachable(e);
        }
        throw new ServerError(0, "the server at " + baseUrl + " sent no response headers to POST " + path + " in "
            + streamTimeout.toSeconds() + " s (--timeout): it lists its model but does not answer requests");
      }
      if (res.statusCode() != 200) {
        String text = new String(res.body().readAllBytes(), StandardCharsets.UTF_8);
        throw new ServerError(res.statusCode(), "HTTP " + res.statusCode() + ": " + messageOf(text));
      }
      int prompt = -1;
      int completion = -1;
      int chunks = 0;
      if (res.headers().firstValue("Content-Type").orElse("").contains("json")) { // a pooling endpoint's one answer
        StreamChunk c = StreamChunk.parse(new String(res.body().readAllBytes(), StandardCharsets.UTF_8));
        if (c.error() != null) {
          throw new ServerError(200, "error in the answer: " + c.error());
        }
        return new Preflight(c.promptTokens(), c.completionTokens(), c.hasChoices() ? 1 : 0);
      }
      try (BufferedReader r = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (!line.startsWith("data:")) {
            continue;
          }
          StreamChunk c = StreamChunk.parse(line.substring(5).trim());
          if (c.error() != null) {
            throw new ServerError(200, "error in stream: " + c.error());
          }
          prompt = c.promptTokens() >= 0 ? c.promptTokens() : prompt;
          completion = c.completionTokens() >= 0 ? c.completionTokens() : completion;
          if (c.done()) { // [DONE], or the Responses API's response.completed with the usage
            break;
          }
          chunks += c.hasChoices() ? 1 : 0;
        }
      }
      return new Preflight(prompt, completion, chunks);
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public JsonNode getJson(String path) {
    try {
      HttpResponse<String> res = http.send(request(path).GET().timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() != 200) {
        throw new ServerError(res.statusCode(), "GET " + path + " answered HTTP " + res.statusCode() + ": "
            + messageOf(res.body()));
      }
      return JSON.readTree(res.body());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Empties the server's prefix cache: vLLM's {@code POST /reset_prefix_cache} (served only with
   * {@code VLLM_SERVER_DEV_MODE=1}), else SGLang's {@code POST /flush_cache}. Returns the one that
   * answered; a {@link ServerError} saying what each answered when neither did.
   */
  public String resetPrefixCache() {
    StringBuilder tried = new StringBuilder();
    for (String path : new String[] {"/reset_prefix_cache", "/flush_cache"}) {
      try {
        HttpResponse<String> res = post(path, new byte[0]);
        if (res.statusCode() / 100 == 2) {
          return "POST " + path;
        }
        tried.append(tried.length() == 0 ? "" : ", ").append("POST ").append(path).append(" answered HTTP ")
            .append(res.statusCode());
      } catch (IOException e) {
        tried.append(tried.length() == 0 ? "" : ", ").append("POST ").append(path).append(" failed: ").append(e.getMessage());
      }
    }
    throw new ServerError(0, "the server offers no prefix-cache reset (" + tried
        + "; vLLM serves /reset_prefix_cache only when started with VLLM_SERVER_DEV_MODE=1)");
  }

  private HttpResponse<String> post(String path, byte[] body) throws IOException {
    try {
      return http.send(request(path).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path));
    headers.values().forEach(b::header);
    if (apiKey != null && !apiKey.isEmpty()) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    return b;
  }

  private ServerError unreachable(IOException e) {
    String tls = Tls.explain(e);
    if (tls != null) {
      return new ServerError(0, "the server at " + baseUrl + " is not trusted: " + tls);
    }
    String why = e instanceof ConnectException ? "nothing answers" : e.toString();
    return new ServerError(0, "cannot reach the server at " + baseUrl + " (" + why
        + "): start it, or give its address with --url, or run against the built-in mock with --mock");
  }

  /** The message of vLLM's error JSON (either shape), else the body itself, shortened. */
  public static String messageOf(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      String m = n == null ? null : StreamChunk.errorOf(n);
      if (m != null) {
        return m;
      }
      if (n != null && n.has("detail")) {
        return n.get("detail").toString();
      }
    } catch (IOException ignored) {
      // not JSON: show the text
    }
    String t = body == null ? "" : body.strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }
}
