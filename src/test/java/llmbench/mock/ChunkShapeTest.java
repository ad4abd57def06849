package llmbench.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import llmbench.testutil.SseParser;
import llmbench.trace.RequestRecord;
import llmbench.trace.StreamRecorder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Each server's chunk shape, as the mock writes it, read back by the client's recorder: the text,
 * the usage and the number of events that carry choices (what TTFT and ITL are timed on) come out
 * right, and the mock counts those events as the client does.
 */
class ChunkShapeTest {
  private static final String[] PIECES = {"He", "llo", " \"w\"", "or", "ld"};

  private record Written(String body, int choiceEvents) {}

  private static Written write(ChunkShape shape, boolean chat) {
    ChunkShape.Stream s = new ChunkShape.Stream("cmpl-7", "m", 1, chat, 11, true, false, 0, null, false);
    ByteBuf buf = Unpooled.buffer();
    int choices = 0;
    for (int i = 0; i < PIECES.length; i++) {
      choices += shape.chunk(s, buf, i, 1, PIECES[i], false, i == PIECES.length - 1 ? "length" : null);
    }
    return new Written(buf.toString(StandardCharsets.UTF_8), choices);
  }

  private static RequestRecord readAsGatlingDoes(String body) {
    StreamRecorder r = new StreamRecorder("x");
    for (SseParser.Event e : SseParser.parse(body)) {
      r.onEvent("{\"data\":" + e.data() + "}"); // Gatling 3.15 embeds JSON data raw
    }
    return r.toRecord("p", "c001", 1, 11, PIECES.length, null);
  }

  @Test
  void everyShapeReadsBackWithItsChoiceEvents() {
    for (ChunkShape shape : ChunkShape.values()) {
      for (boolean chat : new boolean[] {false, true}) {
        Written w = write(shape, chat);
        RequestRecord rec = readAsGatlingDoes(w.body());
        String what = shape + (chat ? " chat" : " completions");
        assertTrue(rec.success(), what + ": " + rec.error());
        assertEquals(String.join("", PIECES), rec.generatedText(), what);
        assertEquals(11, rec.promptTokens(), what);
        assertEquals(PIECES.length, rec.completionTokens(), what);
        assertEquals(w.choiceEvents(), rec.chunkNs().length, what + ": the mock's count of choice events");
        int expected = PIECES.length + (chat && shape != ChunkShape.TGI ? 1 : 0) + (shape == ChunkShape.LLAMACPP ? 1 : 0);
        assertEquals(expected, w.choiceEvents(), what);
      }
    }
  }

  @Test
  void tgiPutsTheRoleOnEveryDeltaAndAnEmptyId() {
    String body = write(ChunkShape.TGI, true).body();
    assertTrue(body.startsWith(": keep-alive\n\n"));
    List<SseParser.Event> events = SseParser.parse(body);
    assertTrue(events.stream().filter(e -> e.data().contains("\"delta\""))
        .allMatch(e -> e.data().contains("\"role\":\"assistant\"") && e.data().contains("\"id\":\"\"")));
  }

  /** The mock's llama.cpp chunks have the fields of the real server's, in its order (../shared fixture). */
  @Test
  void llamaCppShapeMatchesTheCapturedStream() throws Exception {
    Path real = Path.of("..", "shared", "fixtures", "llamacpp", "stream-completions.txt");
    Assumptions.assumeTrue(Files.isRegularFile(real), "../shared is not beside the checkout");
    List<SseParser.Event> captured = SseParser.parse(Files.readString(real));
    List<SseParser.Event> ours = SseParser.parse(write(ChunkShape.LLAMACPP, false).body());
    assertEquals(keys(captured.get(0).data()), keys(ours.get(0).data()));
    assertEquals(keys(captured.get(captured.size() - 2).data()).subList(0, 6),
        keys(ours.get(ours.size() - 2).data()).subList(0, 6), "the finish chunk, usage on it");
  }

  private static List<String> keys(String json) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    MockServer.JSON.readTree(json).fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void unknownShapeIsAOneLineError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChunkShape.parse("openai"));
    assertTrue(e.getMessage().contains("vllm, llamacpp, sglang or tgi"));
    assertEquals(ChunkShape.LLAMACPP, ChunkShape.parse("llama.cpp"));
  }
}
