package llmbench.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the mock did, per request, on the monotonic clock ({@link System#nanoTime()}, shared by all
 * processes of one Linux host): when the request arrived, and when each chunk was handed to the socket
 * versus when the engine step that produced it ended. Kept in memory and/or streamed to JSONL.
 */
public final class GroundTruth implements AutoCloseable {
  /**
   * @param choiceChunkNs send time of every chunk that carries choices (role chunk included): taken
   *     just before the write
   * @param choiceFlushedNs the same chunks just after the flush returned (the bytes were in the kernel)
   * @param tokenDueNs end of the engine step that sampled each token
   * @param tokenSentNs when each token's chunk was handed to the socket
   * @param images each image received: {@code WIDTHxHEIGHT mime sha256-prefix}
   * @param chunkTokens the tokens each token-carrying chunk held, in order (several under speculative decoding)
   * @param reasoningTokens the thinking tokens sent before the answer
   * @param firstAnswerNs when the first chunk of the answer (not thinking) was handed to the socket; 0 if none
   * @param minTokens the request's min_tokens (0: none)
   * @param finishReason the last chunk's finish_reason (length, stop), null if it did not finish
   * @param specDrafts speculative steps (each proposing spec-decode − 1 draft tokens)
   * @param specAccepted draft tokens accepted in them
   */
  public record Trace(String requestId, String endpoint, long arrivalNs, int promptTokens,
      int completionTokens, long[] choiceChunkNs, long[] choiceFlushedNs, long[] tokenDueNs, long[] tokenSentNs,
      long usageSentNs, long doneSentNs, int preemptions, String fault, String outcome,
      List<String> images, int[] chunkTokens, int reasoningTokens, long firstAnswerNs, int minTokens,
      String finishReason, int specDrafts, int specAccepted, String traceparent, String bodySha256) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, Trace> traces = new ConcurrentHashMap<>();
  /** The W3C traceparent and body hash each request came with, by request id, until its trace is recorded. */
  private final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();

  /** What a request came with, kept until its trace is recorded. */
  record Arrival(String traceparent, String bodySha256) {
    static final Arrival NONE = new Arrival(null, null);
  }
  private final boolean keep;
  /** Every generation request's body, in arrival order, when traces are kept in memory (tests read what was sent). */
  private final java.util.Queue<JsonNode> bodies = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final SequenceWriter writer;
  /** Serializing a trace takes tens of µs: never on an event loop that has chunks to send. */
  private final java.util.concurrent.ExecutorService fileWriter;

  GroundTruth(boolean keep, Path file) {
    this.keep = keep;
    try {
      this.writer = file == null ? null
          : JSON.writer().withRootValueSeparator("\n").writeValues(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write trace file " + file, e);
    }
    this.fileWriter = file == null ? null : java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mock-trace-writer");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * A request arrived with this traceparent header and body, kept for its trace when traces are kept:
   * the body's SHA-256 tells which prompt came (the same prompt, the same bytes), e.g. that sharded
   * injectors sent exactly a one-machine run's prompts.
   */
  void arrived(String requestId, String traceparent, byte[] body) {
    if (requestId == null || !keep && writer == null) {
      return;
    }
    arrivals.put(requestId, new Arrival(traceparent, sha256(body)));
    if (keep) {
      try {
        bodies.add(JSON.readTree(body));
      } catch (IOException e) {
        bodies.add(JSON.getNodeFactory().textNode(new String(body, java.nio.charset.StandardCharsets.UTF_8)));
      }
    }
  }

  /** The bodies of the requests that came with an id, in arrival order (traces kept in memory only). */
  public List<JsonNode> bodies() {
    return List.copyOf(bodies);
  }

  /** The traceparent and body hash the request came with, once: its trace takes them. */
  Arrival arrivalOf(String requestId) {
    Arrival a = requestId == null ? null : arrivals.remove(requestId);
    return a == null ? Arrival.NONE : a;
  }

  private static String sha256(byte[] body) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  void record(Trace t) {
    if (keep) {
      traces.put(t.requestId(), t);
    }
    if (fileWriter != null) {
      fileWriter.execute(() -> {
        try {
          writer.write(t);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  /**
   * Every trace a trace file holds so far, by request id; a half-written last line (the mock still
   * running) is skipped.
   */
  public static Map<String, Trace> read(Path file) throws IOException {
    Map<String, Trace> out = new java.util.HashMap<>();
    for (String line : java.nio.file.Files.readAllLines(file)) {
      try {
        Trace t = JSON.readValue(line, Trace.class);
        out.put(t.requestId(), t);
      } catch (IOException partial) {
        // the line being written
      }
    }
    return out;
  }

  public Trace get(String requestId) {
    return traces.get(requestId);
  }

  public List<Trace> all() {
    return new ArrayList<>(traces.values());
  }

  public void clear() {
    bodies.clear();
    traces.clear();
  }

  @Override
  public void close() {
    if (fileWriter != null) {
      fileWriter.shutdown();
      try {
        fileWriter.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
