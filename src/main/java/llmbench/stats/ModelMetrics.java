package llmbench.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import llmbench.trace.RequestRecord;

/**
 * The metrics of today's models that vLLM's client has no name for, beside its own ({@link VllmMetrics},
 * whose definitions these leave untouched), defined here once:
 * <ul>
 *   <li>TTFO, time to first output token = the first chunk with answer content (not thinking) − request
 *       start (AIPerf's definition; FIELD_NOTES §19); reasoning tokens from the usage, per-chunk usage or
 *       one token per chunk, else by tokenizing the streamed thinking; answer tokens = output − reasoning;</li>
 *   <li>tokens per chunk (usage on every chunk), and the per-token ITL of speculative decoding: each
 *       chunk's gap after the previous chunk with tokens, divided by its tokens, counted once per token
 *       (SGLang's bench_serving: {@code itl.extend([gap / n] * n)}; FIELD_NOTES §20);</li>
 *   <li>output lengths against the asked one (exact-length benchmarks: a stop id can end one early).</li>
 * </ul>
 * Reasoning and chunk figures exist only for a level whose streams held thinking, or per-chunk counts.
 */
public final class ModelMetrics {
  private ModelMetrics() {}

  /**
   * @param ttfos per request in send order, seconds (0 for a failed request or one with no answer)
   * @param reasoningLens per request in send order (0 when failed)
   * @param countedBy how the reasoning tokens were counted: stream (exact: the usage, usage on every
   *     chunk, or one token per chunk) or tokenizer (the thinking text re-tokenized); a mix lists both
   */
  public record Reasoning(List<Double> ttfos, List<Integer> reasoningLens, long totalReasoningTokens,
      long totalAnswerTokens, double answerThroughput, LevelMetrics.Summary ttfo, String countedBy) {}

  /** @param tokensPerChunk chunks by the tokens they held (chunks with none left out) */
  public record Chunking(Map<Integer, Integer> tokensPerChunk, double meanTokensPerChunk, LevelMetrics.Summary perTokenItl) {}

  /** Successful requests whose output differs from the asked length, and the range of their lengths. */
  public record OutputLengths(int asked, int checked, int different, int min, int max) {}

  /** A level's figures; each null when the level had none. */
  public record Result(Reasoning reasoning, Chunking chunking, OutputLengths outputLengths) {}

  /** One level's records, added as they come. */
  public static final class Level {
    private final VllmMetrics.TextTokenCounter counter;
    private final List<long[]> requests = new ArrayList<>(); // start, answer (0: none), success, reasoning tokens
    private final List<String> countedBy = new ArrayList<>();
    private final TreeMap<Integer, Integer> tokensPerChunk = new TreeMap<>();
    private double[] perTokenItlMs = new double[64];
    private int itls;
    private boolean reasoned;
    private int outputChecked;
    private int outputDifferent;
    private int outputMin = Integer.MAX_VALUE;
    private int outputMax = Integer.MIN_VALUE;
    private int asked = -1;

    public Level(VllmMetrics.TextTokenCounter counter) {
      this.counter = counter;
    }

    /**
     * @param fixedOutput the level asked one output length of every request (random prompts; a
     *     dataset's vary)
     */
    public void add(RequestRecord r, boolean fixedOutput) {
      int reasoning = 0;
      if (r.success() && r.reasoned()) {
        reasoned = true;
        if (r.reasoningTokens() >= 0) {
          reasoning = r.reasoningTokens();
          countedBy.add("stream"); // the server's usage, usage on every chunk, or one token per chunk
        } else {
          reasoning = counter.count(r.reasoningText());
          countedBy.add("tokenizer");
        }
      }
      requests.add(new long[] {r.startNs(), r.success() ? r.answerNs() : 0, r.success() ? 1 : 0, reasoning,
          Math.max(0, r.completionTokens())});
      if (r.success() && r.chunkTokens() != null) {
        chunks(r.chunkNs(), r.chunkTokens());
      }
      if (r.success() && fixedOutput && r.completionTokens() >= 0) {
        asked = r.requestedOutput();
        outputChecked++;
        outputDifferent += r.completionTokens() != r.requestedOutput() ? 1 : 0;
        outputMin = Math.min(outputMin, r.completionTokens());
        outputMax = Math.max(outputMax, r.completionTokens());
      }
    }

    private void chunks(long[] ns, int[] tokens) {
      long previous = -1;
      for (int i = 0; i < tokens.length; i++) {
        if (tokens[i] <= 0) {
          continue;
        }
        tokensPerChunk.merge(tokens[i], 1, Integer::sum);
        if (previous >= 0) {
          double each = (ns[i] - previous) / 1e6 / tokens[i];
          for (int t = 0; t < tokens[i]; t++) {
            if (itls == perTokenItlMs.length) {
              perTokenItlMs = Arrays.copyOf(perTokenItlMs, itls * 2);
            }
            perTokenItlMs[itls++] = each;
          }
        }
        previous = ns[i];
      }
    }

    /** @param duration the level's duration (s), as vLLM's throughputs divide by */
    public Result finish(List<Double> percentiles, double duration) {
      return new Result(reasoned ? reasoning(percentiles, duration) : null,
          tokensPerChunk.isEmpty() ? null : chunking(percentiles),
          outputChecked == 0 ? null : new OutputLengths(asked, outputChecked, outputDifferent, outputMin, outputMax));
    }

    private Reasoning reasoning(List<Double> percentiles, double duration) {
      requests.sort((a, b) -> Long.compare(a[0], b[0])); // vLLM's arrays follow the order requests were sent
      List<Double> ttfos = new ArrayList<>();
      List<Integer> lens = new ArrayList<>();
      List<Double> answered = new ArrayList<>();
      long totalReasoning = 0;
      long totalOutput = 0;
      for (long[] q : requests) {
        double ttfo = q[1] > 0 ? (q[1] - q[0]) / 1e9 : 0;
        ttfos.add(ttfo);
        lens.add((int) q[3]);
        if (q[2] == 1) {
          totalReasoning += q[3];
          totalOutput += q[4];
          if (q[1] > 0) {
            answered.add(ttfo * 1000);
          }
        }
      }
      long answer = Math.max(0, totalOutput - totalReasoning);
      return new Reasoning(ttfos, lens, totalReasoning, answer, duration > 0 ? answer / duration : 0,
          summary(answered.stream().mapToDouble(Double::doubleValue).toArray(), percentiles),
          String.join(", ", countedBy.stream().distinct().sorted().toList()));
    }

    private Chunking chunking(List<Double> percentiles) {
      long chunks = 0;
      long tokens = 0;
      for (Map.Entry<Integer, Integer> e : tokensPerChunk.entrySet()) {
        chunks += e.getValue();
        tokens += (long) e.getKey() * e.getValue();
      }
      return new Chunking(new LinkedHashMap<>(tokensPerChunk), (double) tokens / chunks,
          summary(Arrays.copyOf(perTokenItlMs, itls), percentiles));
    }
  }

  static LevelMetrics.Summary summary(double[] ms, List<Double> percentiles) {
    Distribution d = Distribution.ofOwned(ms);
    Map<Double, Double> p = new LinkedHashMap<>();
    for (double q : percentiles) {
      p.put(q, d.percentile(q));
    }
    return new LevelMetrics.Summary(d.mean(), d.median(), d.std(), p);
  }
}
