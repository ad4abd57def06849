package llmbench.workload;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import llmbench.prompt.ImageFiles;
import llmbench.prompt.TextTokenizer;
import llmbench.replay.TraceFormat;

/**
 * The prompts a user brings (FIELD_NOTES §14), read as a stream (one entry in memory at a time) and
 * sampled with a seeded reservoir, so a 670 MB ShareGPT file costs the heap only the prompts kept.
 *
 * <ul>
 *   <li>{@code sharegpt:PATH}: a JSON list of {@code {"conversations": [{"from": "human", "value"},
 *       {"from": "gpt", "value"}, ...]}}; as vLLM's ShareGPTDataset: the first two turns are the prompt
 *       and the reference completion, whose token count is the output length unless one is fixed;
 *       pairs with a prompt under 4 tokens, an output under 4 (unless fixed), a prompt over 1,024 or
 *       both over 2,048 are dropped ({@code is_valid_sequence}).
 *   <li>{@code jsonl:PATH}: one JSON object per line, {@code {"prompt": "...", "output_tokens": N}}
 *       (vLLM's custom dataset) or {@code {"messages": [...]}} for the chat endpoint; a prompt may bring
 *       {@code "image_files": ["a.png", ...]} (beside the file, or absolute), sent with it on chat as
 *       vLLM's {@code custom_mm} dataset sends them.
 * </ul>
 */
public final class Dataset {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Which dataset: {@code random} (the seed's exact-length random prompts) or a file. */
  public record Spec(String kind, Path path) {
    public static final Spec RANDOM = new Spec("random", null);

    public static Spec parse(String text) {
      if (text == null || text.equals("random")) {
        return RANDOM;
      }
      int colon = text.indexOf(':');
      String kind = colon < 0 ? text : text.substring(0, colon).toLowerCase(Locale.ROOT);
      boolean known = kind.equals("sharegpt") || kind.equals("jsonl") || TraceFormat.byId(kind) != null;
      if (colon < 0 || !known || colon == text.length() - 1) {
        throw new IllegalArgumentException("--dataset must be random, sharegpt:PATH, jsonl:PATH or a trace "
            + "(mooncake:PATH, timed_trace:PATH, azure:PATH, burstgpt:PATH), not '" + text + "'");
      }
      Path path = Path.of(text.substring(colon + 1));
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException("--dataset " + text + ": no such file " + path.toAbsolutePath());
      }
      return new Spec(kind, path);
    }

    public boolean random() {
      return path == null;
    }

    /** The trace format of a trace to replay; null for prompts without times. */
    public TraceFormat trace() {
      return random() ? null : TraceFormat.byId(kind);
    }

    /** In result names and file names: {@code sharegpt}, {@code jsonl-traffic}. */
    public String name() {
      if (random()) {
        return kind;
      }
      String f = path.getFileName().toString().replaceAll("\\.[^.]*$", "");
      return kind.equals("sharegpt") ? kind : kind + "-" + f.replaceAll("[^A-Za-z0-9._-]", "_");
    }
  }

  /**
   * One request's input: a prompt text or chat messages, its tokens by our tokenizer (the text's), the
   * tokens to generate, and the image files sent with the prompt.
   *
   * @param messages null unless the file gave a conversation
   */
  public record Entry(String prompt, JsonNode messages, int promptTokens, int outputTokens, List<Path> images) {
    public Entry(String prompt, JsonNode messages, int promptTokens, int outputTokens) {
      this(prompt, messages, promptTokens, outputTokens, List.of());
    }
  }

  /** What reading a file gave: the kept entries and why others were left out. */
  public record Sample(List<Entry> entries, int read, int filtered, String filterReason) {}

  private Dataset() {}

  /**
   * {@code n} entries (all of them, in the file's order, when it has fewer), drawn uniformly with
   * {@code seed}.
   *
   * @param fixedOutput the tokens to generate for every request, or null for the file's own
   * @param defaultOutput for JSONL lines without {@code output_tokens}, when none is fixed
   */
  public static Sample sample(Spec spec, TextTokenizer tok, int n, long seed, Integer fixedOutput, int defaultOutput,
      int maxModelLen) throws IOException {
    Reservoir r = new Reservoir(n, seed);
    int[] filtered = {0};
    String why;
    if (spec.kind().equals("sharegpt")) {
      why = "vLLM's ShareGPT filter: prompt < 4 tokens, output < 4 (unless fixed), prompt > 1024, prompt + output > 2048, or over max_model_len";
      readShareGpt(spec.path(), (prompt, completion) -> {
        int in = tok.count(prompt, true);
        int out = fixedOutput != null ? fixedOutput : tok.count(completion, false);
        // vLLM's is_valid_sequence: the output minimum is skipped when the output length is fixed
        boolean keep = in >= 4 && (fixedOutput != null || out >= 4) && in <= 1024 && in + out <= 2048
            && in + out <= maxModelLen;
        if (keep) {
          r.offer(new Entry(prompt, null, in, out));
        } else {
          filtered[0]++;
        }
      });
    } else {
      why = "longer than max_model_len";
      readJsonl(spec.path(), (line, node) -> {
        checkLine(spec.path(), line, node);
        JsonNode messages = node.get("messages");
        String prompt = node.path("prompt").isTextual() ? node.get("prompt").asText() : null;
        JsonNode o = node.get("output_tokens");
        int out = fixedOutput != null ? fixedOutput : o != null ? o.asInt() : defaultOutput;
        int in = prompt != null ? tok.count(prompt, true) : tok.count(messagesText(messages), false);
        if (in + out > maxModelLen) {
          filtered[0]++;
        } else {
          r.offer(new Entry(prompt, prompt != null ? null : messages, in, out, images(spec.path(), line, node)));
        }
      });
    }
    if (r.seen == 0) {
      throw new IllegalArgumentException("--dataset " + spec.kind() + ":" + spec.path() + ": no usable entry ("
          + filtered[0] + " left out by " + why + ")");
    }
    List<Entry> kept = new ArrayList<>(r.kept());
    java.util.Collections.shuffle(kept, new java.util.Random(seed)); // as vLLM shuffles before it takes
    return new Sample(kept, r.seen + filtered[0], filtered[0], why);
  }

  /**
   * Reads the whole file and checks every entry's shape (nothing is tokenized), so that a bad line is
   * a one-line error before a run starts, not after its previous results were archived.
   */
  public static void check(Spec spec) throws IOException {
    if (spec.random() || spec.trace() != null) { // a trace is read with its window (TracePlan.check)
      return;
    }
    int[] entries = {0};
    if (spec.kind().equals("sharegpt")) {
      readShareGpt(spec.path(), (prompt, completion) -> entries[0]++);
    } else {
      readJsonl(spec.path(), (line, node) -> {
        checkLine(spec.path(), line, node);
        entries[0]++;
      });
    }
    if (entries[0] == 0) {
      throw new IllegalArgumentException("--dataset " + spec.kind() + ":" + spec.path() + ": no entry in the file");
    }
  }

  private static void checkLine(Path file, int line, JsonNode node) {
    JsonNode messages = node.get("messages");
    String prompt = node.path("prompt").isTextual() ? node.get("prompt").asText() : null;
    if ((prompt == null || prompt.isEmpty()) && (messages == null || !messages.isArray() || messages.isEmpty())) {
      throw new IllegalArgumentException(file + " line " + line
          + ": needs a non-empty \"prompt\" string or a \"messages\" list");
    }
    JsonNode o = node.get("output_tokens");
    if (o != null && !(o.canConvertToInt() && o.asInt() > 0)) {
      throw new IllegalArgumentException(file + " line " + line
          + ": \"output_tokens\" must be a whole number > 0");
    }
    images(file, line, node);
  }

  /** The line's {@code image_files}, each a readable image (PNG, JPEG, WebP or GIF) beside the file or absolute. */
  static List<Path> images(Path file, int line, JsonNode node) {
    JsonNode files = node.get("image_files");
    if (files == null || files.isNull()) {
      return List.of();
    }
    if (!files.isArray() || node.path("prompt").isMissingNode()) {
      throw new IllegalArgumentException(file + " line " + line + ": \"image_files\" is a list of image files that "
          + "goes with a \"prompt\"");
    }
    List<Path> out = new ArrayList<>();
    for (JsonNode f : files) {
      Path p = file.toAbsolutePath().getParent().resolve(f.asText());
      if (!f.isTextual() || !Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new IllegalArgumentException(file + " line " + line + ": image file " + f + ": no such readable file " + p);
      }
      if (ImageFiles.mime(p) == null) {
        throw new IllegalArgumentException(file + " line " + line + ": image file " + f
            + " is not a .png, .jpg, .jpeg, .webp or .gif");
      }
      out.add(p);
    }
    return out;
  }

  /** The text of a conversation, for counting (the server adds its chat template around it). */
  static String messagesText(JsonNode messages) {
    StringBuilder b = new StringBuilder();
    for (JsonNode m : messages) {
      b.append(m.path("content").isTextual() ? m.get("content").asText() : m.path("content").toString()).append('\n');
    }
    return b.toString();
  }

  interface PairSink {
    void accept(String prompt, String completion);
  }

  interface LineSink {
    void accept(int line, JsonNode node);
  }

  /** Element by element: the parser holds one conversation at a time. */
  static void readShareGpt(Path file, PairSink sink) throws IOException {
    try (JsonParser p = JSON.getFactory().createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalArgumentException(file + ": a ShareGPT file is a JSON list of conversations "
            + "(line " + p.currentLocation().getLineNr() + ")");
      }
      while (true) {
        JsonToken t;
        try {
          t = p.nextToken();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalArgumentException(file + " line " + e.getLocation().getLineNr() + ": not valid JSON ("
              + shortMessage(e) + ")");
        }
        if (t == JsonToken.END_ARRAY || t == null) {
          break;
        }
        int line = p.currentLocation().getLineNr();
        JsonNode conv;
        try {
          conv = JSON.readTree(p);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalArgumentException(file + " line " + e.getLocation().getLineNr() + ": not valid JSON ("
              + shortMessage(e) + ")");
        }
        JsonNode turns = conv.path("conversations");
        if (!turns.isArray()) {
          throw new IllegalArgumentException(file + " line " + line + ": an entry without a \"conversations\" list");
        }
        if (turns.size() >= 2 && turns.get(0).path("value").isTextual() && turns.get(1).path("value").isTextual()) {
          sink.accept(turns.get(0).get("value").asText(), turns.get(1).get("value").asText());
        }
      }
    }
  }

  static void readJsonl(Path file, LineSink sink) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int n = 0;
      for (String line; (line = in.readLine()) != null; ) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalArgumentException(file + " line " + n + ": not valid JSON (" + shortMessage(e) + ")");
        }
        if (node == null || !node.isObject()) {
          throw new IllegalArgumentException(file + " line " + n + ": not a JSON object");
        }
        sink.accept(n, node);
      }
    }
  }

  /** Jackson's message without where it started (a second location, and often the whole source). */
  private static String shortMessage(com.fasterxml.jackson.core.JsonProcessingException e) {
    String m = e.getOriginalMessage();
    int cut = m.indexOf(" (start marker");
    m = cut >= 0 ? m.substring(0, cut) : m;
    return m.lines().findFirst().orElse(m);
  }

  /** Algorithm R, seeded: every entry has the same chance to be kept, in one pass. */
  private static final class Reservoir {
    final List<Entry> kept = new ArrayList<>();
    final int size;
    final SplittableRandom random;
    int seen;

    Reservoir(int size, long seed) {
      this.size = size;
      this.random = new SplittableRandom(seed);
    }

    void offer(Entry e) {
      seen++;
      if (kept.size() < size) {
        kept.add(e);
      } else {
        int j = random.nextInt(seen);
        if (j < size) {
          kept.set(j, e);
        }
      }
    }

    List<Entry> kept() {
      return kept;
    }
  }
}
