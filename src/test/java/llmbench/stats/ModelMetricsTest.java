package llmbench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import llmbench.trace.RequestRecord;
import org.junit.jupiter.api.Test;

/** TTFO, reasoning counts, tokens per chunk and per-token ITL of hand-made records, worked out by hand. */
class ModelMetricsTest {
  static final long MS = 1_000_000L;

  /**
   * A reasoning request starting at {@code startMs}: chunks at the offsets, the answer from chunk
   * {@code answerAt}, {@code reasoning} thinking tokens as the stream told them (-1: it did not).
   */
  static RequestRecord reasoned(long startMs, int answerAt, int reasoning, String thought, int output, int[] chunkTokens,
      long... chunkMs) {
    long[] ns = new long[chunkMs.length];
    for (int i = 0; i < ns.length; i++) {
      ns[i] = (startMs + chunkMs[i]) * MS;
    }
    return new RequestRecord("r" + startMs, "p", "c002", 2, 10, 6, startMs * MS, ns[ns.length - 1], 0, ns, 10, output,
        thought + "answer", true, null, 0, 0, 0, 0, ns[answerAt], ns[answerAt - 1], answerAt, reasoning, thought,
        chunkTokens, null, false, null, null, 0);
  }

  @Test
  void ttfoAndReasoningTokensFromTheStreamOrTheTokenizer() {
    ModelMetrics.Level level = new ModelMetrics.Level(text -> text.split(" ").length); // a word per token
    // A at 0 ms: thinking in chunks at 10, 20; answer at 50; the stream told 2 thinking tokens of 6
    level.add(reasoned(0, 2, 2, "a b", 6, null, 10, 20, 50, 60), true);
    // B at 5 ms: thinking at 15, 25, 35; answer at 85; the stream did not tell: "c d e f" counts 4
    level.add(reasoned(5, 3, -1, "c d e f", 6, null, 10, 20, 30, 80, 90), true);
    ModelMetrics.Result r = level.finish(List.of(99.0), 0.1);
    ModelMetrics.Reasoning m = r.reasoning();
    assertEquals(List.of(0.050, 0.080), m.ttfos().stream().map(t -> Math.round(t * 1e6) / 1e6).toList());
    assertEquals(List.of(2, 4), m.reasoningLens());
    assertEquals(6, m.totalReasoningTokens());
    assertEquals(12 - 6, m.totalAnswerTokens());
    assertEquals(6 / 0.1, m.answerThroughput(), 1e-9);
    assertEquals(65.0, m.ttfo().mean(), 1e-9);
    assertEquals(50 + 0.99 * 30, m.ttfo().percentiles().get(99.0), 1e-9);
    assertEquals("stream, tokenizer", m.countedBy());
    assertNull(r.chunking(), "no chunk counts: no per-chunk figures");
    assertEquals(new ModelMetrics.OutputLengths(6, 2, 0, 6, 6), r.outputLengths());
  }

  @Test
  void perTokenItlSplitsEachChunksGapOverItsTokensAsSglangDoes() {
    ModelMetrics.Level level = new ModelMetrics.Level(text -> 0);
    // chunks: role (0 tokens) at 5, then 1 token at 10, 2 at 20, 3 at 26: gaps after the first token
    // chunk are 10 ms over 2 tokens (5, 5) and 6 ms over 3 (2, 2, 2)
    long[] ns = {5 * MS, 10 * MS, 20 * MS, 26 * MS};
    RequestRecord r = new RequestRecord("x", "p", "c001", 1, 10, 6, 0, 26 * MS, 0, ns, 10, 6, "t", true, null, 0, 0, 0,
        0, 0, 0, 0, -1, null, new int[] {0, 1, 2, 3}, null, false, null, null, 0);
    level.add(r, true);
    ModelMetrics.Chunking c = level.finish(List.of(50.0), 1).chunking();
    assertEquals(Map.of(1, 1, 2, 1, 3, 1), c.tokensPerChunk());
    assertEquals(2.0, c.meanTokensPerChunk(), 1e-12);
    assertEquals((5 + 5 + 2 + 2 + 2) / 5.0, c.perTokenItl().mean(), 1e-9);
    assertEquals(2.0, c.perTokenItl().median(), 1e-9);
    assertNull(level.finish(List.of(50.0), 1).reasoning(), "no thinking: no reasoning figures");
  }

  @Test
  void outputsOfAnotherLengthAreCounted() {
    ModelMetrics.Level level = new ModelMetrics.Level(text -> 0);
    for (int out : new int[] {6, 4, 6, 2}) {
      level.add(new RequestRecord("r" + out, "p", "c001", 1, 10, 6, 0, MS, 0, new long[] {MS}, 10, out, "t", true, null),
          true);
    }
    assertEquals(new ModelMetrics.OutputLengths(6, 4, 2, 2, 6), level.finish(List.of(99.0), 1).outputLengths());
  }
}
