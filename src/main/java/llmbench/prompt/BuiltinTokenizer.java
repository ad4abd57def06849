package llmbench.prompt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A small word-level tokenizer.json generated in code, so that the demo run and the mock need no
 * download. It behaves like a Llama-style tokenizer in the ways that matter to the benchmark: it adds
 * a BOS token ({@code <s>}), has special tokens that prompts must avoid, and knows the ChatML markers
 * that the mock's chat template uses.
 */
public final class BuiltinTokenizer {
  public static final String NAME = "llmbench-builtin";
  private static final String[] CONSONANTS = "b c d f g h j k l m n p r s t v w x y z".split(" ");
  private static final String[] VOWELS = "a e i o u".split(" ");

  private BuiltinTokenizer() {}

  public static Path writeTo(Path dir) throws IOException {
    Path file = dir.resolve("tokenizer.json");
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), build());
    return file;
  }

  static ObjectNode build() {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = m.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    // ChatML markers are special added tokens, as in Qwen's tokenizer: split out of the text around them
    String[] specials = {"<s>", "</s>", "<unk>", "<|im_start|>", "<|im_end|>"};
    for (int i = 0; i < specials.length; i++) {
      ObjectNode t = added.addObject();
      t.put("id", i).put("content", specials[i]).put("single_word", false).put("lstrip", false)
          .put("rstrip", false).put("normalized", false).put("special", true);
    }
    root.putNull("normalizer");
    root.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    ArrayNode pair = post.putArray("pair");
    pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    ObjectNode st = post.putObject("special_tokens").putObject("<s>");
    st.put("id", "<s>");
    st.putArray("ids").add(0);
    st.putArray("tokens").add("<s>");
    root.putNull("decoder");
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    model.put("unk_token", "<unk>");
    ObjectNode vocab = model.putObject("vocab");
    int id = 0;
    for (String s : specials) {
      vocab.put(s, id++);
    }
    for (String c1 : CONSONANTS) {
      for (String v1 : VOWELS) {
        vocab.put(c1 + v1, id++);
        for (String c2 : CONSONANTS) {
          for (String v2 : VOWELS) {
            vocab.put(c1 + v1 + c2 + v2, id++);
          }
        }
      }
    }
    return root;
  }
}
