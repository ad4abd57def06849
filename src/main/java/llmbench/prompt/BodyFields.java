package llmbench.prompt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fields every request carries beyond vLLM's benchmark client's (vLLM's {@code --extra-body}, AIPerf's
 * {@code --extra-inputs}): {@code chat_template_kwargs}, {@code response_format}, a LoRA's options,
 * sampling ({@code --temperature}, {@code --top-p}, {@code --top-k} as shortcuts). A field the run sets
 * itself (the prompt, its lengths, streaming) is refused, naming both, rather than silently changing
 * what is measured.
 *
 * @param fields merged into every body; empty for none
 */
public record BodyFields(ObjectNode fields) {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final BodyFields NONE = new BodyFields(JSON.createObjectNode());
  /** What the run sets in every body, and what sets each instead. */
  private static final List<String[]> OURS = List.of(new String[] {"model", "the served model (--model)"},
      new String[] {"prompt", "the prompts (--input-len, --dataset)"}, new String[] {"messages", "the prompts"},
      new String[] {"max_tokens", "--output-len"}, new String[] {"max_completion_tokens", "--output-len"},
      new String[] {"min_tokens", "--output-len (--no-min-tokens leaves it out)"},
      new String[] {"ignore_eos", "the run (outputs reach --output-len)"}, new String[] {"stream", "the run (streamed)"},
      new String[] {"stream_options", "the run (usage in the stream)"}, new String[] {"temperature", "--temperature"});

  /**
   * {@code --extra-body} (a JSON object, or {@code @FILE} holding one) with the sampling shortcuts over
   * it; null arguments are not given. One line naming the option for anything else.
   */
  public static BodyFields parse(String extraBody, Double temperature, Double topP, Integer topK) {
    ObjectNode f = JSON.createObjectNode();
    if (extraBody != null) {
      String text = extraBody;
      if (extraBody.startsWith("@")) {
        try {
          text = Files.readString(Path.of(extraBody.substring(1)));
        } catch (IOException e) {
          throw new IllegalArgumentException("--extra-body " + extraBody + ": cannot read the file (" + e.getMessage() + ")");
        }
      }
      JsonNode n;
      try {
        n = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("--extra-body: not JSON (" + e.getOriginalMessage() + ")");
      }
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("--extra-body: a JSON object of fields is needed, e.g. "
            + "'{\"chat_template_kwargs\":{\"enable_thinking\":false}}'");
      }
      for (String[] ours : OURS) {
        if (n.has(ours[0])) {
          throw new IllegalArgumentException("--extra-body sets " + ours[0] + ", which " + ours[1] + " sets: leave it out"
              + (ours[0].equals("temperature") ? " and give --temperature" : ""));
        }
      }
      f.setAll((ObjectNode) n);
    }
    if (temperature != null) {
      if (!(temperature >= 0)) {
        throw new IllegalArgumentException("--temperature must be 0 or more, not " + temperature);
      }
      f.put("temperature", temperature);
    }
    if (topP != null) {
      if (!(topP > 0 && topP <= 1) || f.has("top_p")) {
        throw new IllegalArgumentException(f.has("top_p") ? "--top-p and --extra-body's top_p: give one"
            : "--top-p must be above 0 and at most 1, not " + topP);
      }
      f.put("top_p", topP);
    }
    if (topK != null) {
      if (topK < -1 || topK == 0 || f.has("top_k")) {
        throw new IllegalArgumentException(f.has("top_k") ? "--top-k and --extra-body's top_k: give one"
            : "--top-k must be -1 (all) or 1 or more, not " + topK);
      }
      f.put("top_k", topK);
    }
    return new BodyFields(f);
  }

  public boolean any() {
    return !fields.isEmpty();
  }

  /** These fields with {@code more} (the answer's shape, tools) added; a field both set is refused, naming {@code option}. */
  public BodyFields with(ObjectNode more, String option) {
    ObjectNode f = fields.deepCopy();
    for (var it = more.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (f.has(k)) {
        throw new IllegalArgumentException(option + " and --extra-body's " + k + ": give one");
      }
    }
    f.setAll(more);
    return new BodyFields(f);
  }

  /**
   * The fields ask the answer to take a shape (a schema, a regex, a choice, a tool call): it then ends
   * where that shape ends, so no output length is forced on it (no ignore_eos, no min_tokens).
   */
  public boolean shapesAnswer() {
    return fields.has("response_format") || fields.has("structured_outputs") || fields.has("tools")
        || fields.has("guided_json") || fields.has("guided_regex") || fields.has("guided_choice")
        || fields.has("guided_grammar");
  }

  /** Adds the fields to a body the run made (a field of theirs wins: the shortcuts are checked not to clash). */
  void into(ObjectNode body) {
    body.setAll(fields);
  }

  /** The fields as JSON text, for the results and engine_params.txt. */
  public String json() {
    return fields.toString();
  }
}
