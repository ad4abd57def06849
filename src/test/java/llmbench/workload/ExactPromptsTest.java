package llmbench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import llmbench.config.RunConfig;
import llmbench.prompt.RequestBodies;
import llmbench.prompt.TextTokenizer;
import llmbench.testutil.Runs;
import org.junit.jupiter.api.Test;

/**
 * A completions prompt on a server whose tokenizer splits some texts otherwise than ours (llama.cpp's
 * GGUF tokenizer): each is checked against the server's count and rebuilt until it is the length asked.
 */
class ExactPromptsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void eachCompletionIsRebuiltUntilTheServerCountsItsLength() throws Exception {
    TextTokenizer tok = TextTokenizer.builtin();
    // a server that counts one token more for a third of the texts (as a tokenizer that splits some
    // texts otherwise would: Mistral's GGUF on llama.cpp, 2 or 3 in 64), else what ours counts
    Planner.ChatCounter server = text -> tok.count(text, true) + (Math.floorMod(text.hashCode(), 3) == 0 ? 1 : 0);
    RunConfig c = Runs.config(false, Map.of("--mock", "true", "--input-len", "60", "--output-len", "4", "--levels", "16",
        "--seed", "11"));
    Profile low = c.workload().apply(Workload.defaults().profiles().get(0).profile());
    Planner.Input in = new Planner.Input(c.workload(), c.load(), low, "http://x", "m", 4096, tok, null, server,
        RequestBodies.plain("m"));
    RunPlan plan = Planner.plan(in);
    LevelPlan level = plan.levels().get(0);
    level.prepare();
    int offByOurs = 0;
    for (int i = 0; i < level.numPrompts(); i++) {
      String prompt = JSON.readTree(level.body(i)).get("prompt").asText();
      assertEquals(60, server.count(prompt), prompt);
      offByOurs += tok.count(prompt, true) != 60 ? 1 : 0;
    }
    assertTrue(offByOurs == 0, "the server's count agreed with ours once rebuilt: " + offByOurs);
    assertEquals(true, plan.metadata().get("prompts_checked_by_server"));
    Planner.Input unchecked = new Planner.Input(c.workload(), c.load(), low, "http://x", "m", 4096, tok, null, null,
        RequestBodies.plain("m"));
    LevelPlan plain = Planner.plan(unchecked).levels().get(0);
    plain.prepare();
    long wrong = java.util.stream.IntStream.range(0, plain.numPrompts()).filter(i -> {
      try {
        return server.count(JSON.readTree(plain.body(i)).get("prompt").asText()) != 60;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).count();
    assertTrue(wrong > 0, "without the server's count some prompts are off by its tokenizer: the test's premise");
  }
}
