package llmbench.prompt;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Iterator;
import java.util.Map;

/**
 * A Hugging Face tokenizer.json loaded through DJL, always offline and always on DJL's CPU build.
 * Thread-safe for encode/decode (DJL's native tokenizer is).
 */
public final class TextTokenizer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    forceOfflineCpuBuild();
  }

  private final HuggingFaceTokenizer tokenizer;
  private final String source;
  private final int vocabSize;
  private final BitSet specialIds;
  private final int specialTokensAdded;

  private TextTokenizer(HuggingFaceTokenizer tokenizer, String source, JsonNode json) {
    this.tokenizer = tokenizer;
    this.source = source;
    this.specialIds = new BitSet();
    int maxId = -1;
    JsonNode vocab = json.path("model").path("vocab");
    if (vocab.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        maxId = Math.max(maxId, it.next().getValue().asInt());
      }
    } else if (vocab.isArray()) { // Unigram: a list of [piece, score]
      maxId = vocab.size() - 1;
    }
    for (JsonNode added : json.path("added_tokens")) {
      int id = added.path("id").asInt();
      maxId = Math.max(maxId, id);
      if (added.path("special").asBoolean(false)) {
        specialIds.set(id);
      }
    }
    this.vocabSize = maxId + 1;
    this.specialTokensAdded = count("", true);
  }

  /**
   * DJL would otherwise pick a CUDA flavour on GPU hosts and try to download it (FIELD_NOTES §6);
   * our users' inference servers are offline GPU hosts.
   */
  public static void forceOfflineCpuBuild() {
    if (System.getenv("RUST_FLAVOR") == null) {
      System.setProperty("RUST_FLAVOR", "cpu");
    }
    System.setProperty("ai.djl.offline", "true");
  }

  /** Loads {@code dir/tokenizer.json} (or {@code dir} itself when it is the file). */
  public static TextTokenizer load(Path dirOrFile) {
    Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("tokenizer.json") : dirOrFile;
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no tokenizer.json in " + dirOrFile
          + ": copy the tested model's tokenizer.json (and tokenizer_config.json) there");
    }
    try {
      JsonNode json = JSON.readTree(file.toFile());
      HuggingFaceTokenizer tok = HuggingFaceTokenizer.builder()
          .optTokenizerPath(file)
          .optTruncation(false)
          .optPadding(false)
          .optAddSpecialTokens(true)
          .build();
      return new TextTokenizer(tok, file.toString(), json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + file + ": " + e.getMessage(), e);
    }
  }

  /** The project's own tokenizer, generated in code, shared by the mock and the demo run. */
  public static TextTokenizer builtin() {
    try {
      Path file = BuiltinTokenizer.writeTo(Files.createTempDirectory("llmbench-tokenizer"));
      file.toFile().deleteOnExit();
      file.getParent().toFile().deleteOnExit();
      TextTokenizer t = load(file);
      return new TextTokenizer(t.tokenizer, BuiltinTokenizer.NAME, JSON.readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the scripts and simulations look when no tokenizer folder is given. */
  public static final Path DEFAULT_DIR = Path.of("fake_model");

  /**
   * The one rule for both entry points (the scripts and {@code mvn gatling:test}): a folder the user
   * named must hold a tokenizer.json (else a one-line error, even with the mock); without one,
   * fake_model/ is used, and when that is empty the built-in tokenizer stands in only for the built-in
   * mock, whose tokenizer it is.
   *
   * @param given the folder the user named, or null
   * @param builtinMock whether the server under test says it is the built-in mock
   */
  public static TextTokenizer forRun(Path given, boolean builtinMock) {
    requireUsable(given, builtinMock);
    Path dir = given != null ? given : DEFAULT_DIR;
    return hasTokenizer(dir) ? load(dir) : builtin();
  }

  /** {@link #forRun}'s rule without loading anything: fails in one line when the run has no tokenizer. */
  public static void requireUsable(Path given, boolean builtinMock) {
    requireGiven(given);
    Path dir = given != null ? given : DEFAULT_DIR;
    if (!hasTokenizer(dir) && !builtinMock) {
      throw new IllegalArgumentException("no tokenizer.json in " + dir + "/: copy the tested model's "
          + "tokenizer.json and tokenizer_config.json there, or name another folder with --tokenizer");
    }
  }

  /** Fails in one line when the user named a folder without a tokenizer.json. */
  public static void requireGiven(Path given) {
    if (given != null && !hasTokenizer(given) && !Files.isRegularFile(given)) {
      throw new IllegalArgumentException("tokenizer " + given + ": "
          + (Files.exists(given) ? "no tokenizer.json there" : "no such file or folder")
          + " (--tokenizer): name the folder holding the model's tokenizer.json");
    }
  }

  /** Loads from a directory when it holds a tokenizer.json, else the built-in tokenizer. */
  public static TextTokenizer loadOrBuiltin(Path dir) {
    if (dir != null && Files.isRegularFile(dir.resolve("tokenizer.json"))) {
      return load(dir);
    }
    return builtin();
  }

  public static boolean hasTokenizer(Path dir) {
    return dir != null && Files.isRegularFile(dir.resolve("tokenizer.json"));
  }

  public long[] encode(String text, boolean addSpecialTokens) {
    return tokenizer.encode(text, addSpecialTokens, false).getIds();
  }

  public int count(String text, boolean addSpecialTokens) {
    return encode(text, addSpecialTokens).length;
  }

  /** Tokens of generated text, as vLLM re-counts output when a server sends no usage. */
  public int countText(String text) {
    return count(text, false);
  }

  public String decode(long[] ids) {
    return tokenizer.decode(ids, true);
  }

  public int vocabSize() {
    return vocabSize;
  }

  public boolean isSpecial(long id) {
    return specialIds.get((int) id);
  }

  /** How many tokens the tokenizer adds around a text (BOS and the like). */
  public int specialTokensAdded() {
    return specialTokensAdded;
  }

  /** Where it came from: a file path or {@link BuiltinTokenizer#NAME}. */
  public String source() {
    return source;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
