package llmbench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import llmbench.prompt.PromptBuilder;
import llmbench.prompt.TextTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static TextTokenizer tok;
  static PromptBuilder texts;

  @BeforeAll
  static void load() {
    tok = TextTokenizer.builtin();
    texts = new PromptBuilder(tok, 99);
  }

  @AfterAll
  static void close() {
    tok.close();
  }

  /** A text our tokenizer counts as exactly n tokens (no special tokens). */
  private static String text(int n) {
    return texts.buildText(n);
  }

  private static ObjectNode conversation(ArrayNode list, String human, String gpt) {
    ObjectNode c = list.addObject().put("id", "c" + list.size());
    ArrayNode turns = c.putArray("conversations");
    turns.addObject().put("from", "human").put("value", human);
    if (gpt != null) {
      turns.addObject().put("from", "gpt").put("value", gpt);
    }
    return c;
  }

  @Test
  void shareGptTakesTheFirstTwoTurnsAndFiltersAsVllm(@TempDir Path dir) throws Exception {
    ArrayNode list = JSON.createArrayNode();
    String goodPrompt = text(20);
    String goodAnswer = text(30);
    conversation(list, goodPrompt, goodAnswer).withArray("conversations").addObject().put("from", "human").put("value", "later turn");
    conversation(list, text(2), text(30));        // prompt under 4 tokens (BOS included: 3)
    conversation(list, text(50), text(3));        // output under 4
    conversation(list, text(1100), text(10));     // prompt over 1024
    conversation(list, text(1000), text(1100));   // prompt + output over 2048
    conversation(list, text(40), null);           // one turn only: not a pair
    conversation(list, text(60), text(70));
    Path file = dir.resolve("ShareGPT_V3_unfiltered_cleaned_split.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), list);

    Dataset.Sample s = Dataset.sample(Dataset.Spec.parse("sharegpt:" + file), tok, 100, 1, null, 150, 16384);
    assertEquals(2, s.entries().size());
    assertEquals(4, s.filtered());
    Dataset.Entry good = s.entries().stream().filter(e -> e.prompt().equals(goodPrompt)).findFirst().orElseThrow();
    assertEquals(21, good.promptTokens(), "the prompt as the server counts it, BOS included");
    assertEquals(30, good.outputTokens(), "the reference completion's length is the output length");
    // a fixed output length: every pair gets it; the output minimum no longer applies, and 1000 + 64
    // fits in 2048: only the short and the long prompts are left out
    Dataset.Sample fixed = Dataset.sample(Dataset.Spec.parse("sharegpt:" + file), tok, 100, 1, 64, 150, 16384);
    assertEquals(4, fixed.entries().size());
    fixed.entries().forEach(e -> assertEquals(64, e.outputTokens()));
  }

  @Test
  void aLargeFileIsSampledNotKeptAndTheSeedRepeatsTheSample(@TempDir Path dir) throws Exception {
    ArrayNode list = JSON.createArrayNode();
    for (int i = 0; i < 3000; i++) {
      conversation(list, "question number " + i + " about the weather", "answer number " + i + " it is sunny today");
    }
    Path file = dir.resolve("big.json");
    JSON.writeValue(file.toFile(), list);
    Dataset.Spec spec = Dataset.Spec.parse("sharegpt:" + file);
    List<Dataset.Entry> a = Dataset.sample(spec, tok, 50, 7, null, 150, 16384).entries();
    assertEquals(50, a.size());
    assertEquals(a, Dataset.sample(spec, tok, 50, 7, null, 150, 16384).entries(), "the same seed, the same sample");
    Set<String> other = new HashSet<>();
    Dataset.sample(spec, tok, 50, 8, null, 150, 16384).entries().forEach(e -> other.add(e.prompt()));
    assertTrue(a.stream().filter(e -> other.contains(e.prompt())).count() < 10, "another seed draws others");
    // drawn from the whole file, not its head
    assertTrue(a.stream().anyMatch(e -> Integer.parseInt(e.prompt().split(" ")[2]) > 1500), "only the file's start");
  }

  @Test
  void jsonlLinesGivePromptsOutputsAndConversations(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("traffic.jsonl");
    String p1 = text(15);
    Files.writeString(file, JSON.writeValueAsString(JSON.createObjectNode().put("prompt", p1).put("output_tokens", 42)) + "\n"
        + "\n"
        + JSON.writeValueAsString(JSON.createObjectNode().put("prompt", text(25))) + "\n"
        + "{\"messages\": [{\"role\": \"system\", \"content\": \"be brief\"}, {\"role\": \"user\", \"content\": \"hello there\"}], \"output_tokens\": 9}\n");
    Dataset.Sample s = Dataset.sample(Dataset.Spec.parse("jsonl:" + file), tok, 10, 3, null, 150, 16384);
    assertEquals(3, s.entries().size());
    Dataset.Entry first = s.entries().stream().filter(e -> p1.equals(e.prompt())).findFirst().orElseThrow();
    assertEquals(16, first.promptTokens());
    assertEquals(42, first.outputTokens());
    assertTrue(s.entries().stream().anyMatch(e -> e.prompt() != null && e.outputTokens() == 150), "the profile's output length");
    Dataset.Entry chat = s.entries().stream().filter(e -> e.messages() != null).findFirst().orElseThrow();
    assertNotNull(chat.messages());
    assertEquals(9, chat.outputTokens());
    assertEquals("jsonl-traffic", Dataset.Spec.parse("jsonl:" + file).name());
  }

  @Test
  void badFilesAreOneLineErrorsWithTheLine(@TempDir Path dir) throws Exception {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Dataset.Spec.parse("sharegpt:" + dir.resolve("none.json")))
        .getMessage().startsWith("--dataset sharegpt:"));
    assertThrows(IllegalArgumentException.class, () -> Dataset.Spec.parse("csv:x"));
    Path jsonl = dir.resolve("bad.jsonl");
    Files.writeString(jsonl, "{\"prompt\": \"fine\"}\n{\"prompt\": \"broken\n");
    assertEquals(jsonl + " line 2: not valid JSON (Unexpected end-of-input: was expecting closing quote for a string value)",
        assertThrows(IllegalArgumentException.class, () -> Dataset.sample(Dataset.Spec.parse("jsonl:" + jsonl), tok, 5, 1,
            null, 10, 4096)).getMessage());
    Files.writeString(jsonl, "{\"prompt\": \"\"}\n");
    assertEquals(jsonl + " line 1: needs a non-empty \"prompt\" string or a \"messages\" list",
        assertThrows(IllegalArgumentException.class, () -> Dataset.sample(Dataset.Spec.parse("jsonl:" + jsonl), tok, 5, 1,
            null, 10, 4096)).getMessage());
    Files.writeString(jsonl, "{\"prompt\": \"see\", \"image_files\": [\"missing.png\"]}\n");
    assertEquals(jsonl + " line 1: image file \"missing.png\": no such readable file " + dir.resolve("missing.png"),
        assertThrows(IllegalArgumentException.class, () -> Dataset.check(Dataset.Spec.parse("jsonl:" + jsonl))).getMessage());
    Files.writeString(dir.resolve("notes.txt"), "x");
    Files.writeString(jsonl, "{\"prompt\": \"see\", \"image_files\": [\"notes.txt\"]}\n");
    assertEquals(jsonl + " line 1: image file \"notes.txt\" is not a .png, .jpg, .jpeg, .webp or .gif",
        assertThrows(IllegalArgumentException.class, () -> Dataset.check(Dataset.Spec.parse("jsonl:" + jsonl))).getMessage());
    Path share = dir.resolve("s.json");
    Files.writeString(share, "[\n{\"conversations\": [{\"from\": \"human\", \"value\": \"a\"}]},\n{\"conversations\": [\n");
    String m = assertThrows(IllegalArgumentException.class, () -> Dataset.sample(Dataset.Spec.parse("sharegpt:" + share),
        tok, 5, 1, null, 10, 4096)).getMessage();
    assertEquals(share + " line 4: not valid JSON (Unexpected end-of-input: expected close marker for Array)", m);
    Files.writeString(share, "[]");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Dataset.sample(Dataset.Spec.parse("sharegpt:" + share),
        tok, 5, 1, null, 10, 4096)).getMessage().contains("no usable entry"));
  }
}
