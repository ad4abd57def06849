package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.testutil.GatlingRuns;
import llmbench.testutil.Runs;
import llmbench.trace.RequestRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Today's models against the mock, each figure held against the mock's own record of what it sent:
 * reasoning streams in each server family's shape, speculative decoding, exact output lengths
 * (min_tokens), and exact chat prompts through each family's tokenize endpoints.
 */
class ModelsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  static Path work;
  static Path tok;

  @BeforeAll
  static void setUp() throws Exception {
    work = Files.createDirectories(Path.of("target", "it"));
    tok = Files.createTempDirectory(work, "mtok");
    BuiltinTokenizer.writeTo(tok);
  }

  private record Run(List<RequestRecord> records, JsonNode result) {}

  /** One level of 4 users × 2 rounds against {@code mock}, no warm-up requests. */
  private static Run run(MockServer mock, String... options) throws Exception {
    Path out = Files.createTempDirectory(work, "mout");
    Path results = Files.createTempDirectory(work, "mgatling");
    Map<String, String> o = new HashMap<>(Map.of("--url", mock.baseUrl(), "--tokenizer", tok.toString(),
        "--levels", "4", "--rounds", "2", "--warmup-requests", "0", "--out", out.toString(),
        "--gatling-results", results.toString(), "--no-client-warmup", "true"));
    for (int i = 0; i < options.length; i += 2) {
      o.put(options[i], options[i + 1]);
    }
    assertEquals(0, Runs.smoke(o));
    try (var files = Files.list(out)) {
      Path json = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
      return new Run(GatlingRuns.measured(results), JSON.readTree(json.toFile()));
    }
  }

  private static MockServer mock(MockConfig.Builder b) {
    return MockServer.start(b.port(0).stepModel(StepModel.fixed(2)).keepTraces(true).tokenizerDir(tok).build());
  }

  private static int indexOf(long[] a, long v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void reasoningInEachFamilysShapeMatchesTheMocksRecord() throws Exception {
    for (String shape : List.of("vllm", "sglang", "llamacpp")) {
      try (MockServer mock = mock(MockConfig.builder().chunkShape(shape).reasoningTokens(12))) {
        Run run = run(mock, "--endpoint", "chat", "--input-len", "30", "--output-len", "40");
        assertEquals(8, run.records().size());
        for (RequestRecord r : run.records()) {
          GroundTruth.Trace t = mock.groundTruth().get(r.id());
          assertEquals(12, t.reasoningTokens(), shape);
          assertEquals(t.reasoningTokens(), r.reasoningTokens(), shape + " " + r.id());
          assertEquals(t.completionTokens() - t.reasoningTokens(), r.completionTokens() - r.reasoningTokens(), shape);
          // the client's first answer chunk is the mock's: the same chunk of the stream
          assertEquals(indexOf(t.choiceChunkNs(), t.firstAnswerNs()), indexOf(r.chunkNs(), r.answerNs()), shape);
          assertTrue(r.answerNs() >= t.firstAnswerNs(), "read before it was sent");
        }
        JsonNode res = run.result();
        assertEquals(8 * 12, res.get("total_reasoning_tokens").asInt(), shape);
        assertEquals(8 * 28, res.get("total_answer_tokens").asInt(), shape);
        assertEquals("stream", res.get("reasoning_tokens_counted_by").asText(), shape);
        assertEquals(8, res.get("ttfos").size());
        assertTrue(res.get("mean_ttfo_ms").asDouble() > res.get("mean_ttft_ms").asDouble(), shape);
        assertTrue(res.has("p99_ttfo_ms"));
        assertEquals(40 * 8, res.get("total_output_tokens").asInt(), "vLLM's keys count every output token");
      }
    }
  }

  @Test
  void speculativeDecodingTokensPerChunkAndAcceptanceMatchTheMocksDraws() throws Exception {
    try (MockServer mock = mock(MockConfig.builder().specDecode(4).specAcceptRate(0.6))) {
      Run run = run(mock, "--input-len", "20", "--output-len", "60", "--metrics-interval-ms", "100");
      Map<String, Integer> expected = new TreeMap<>();
      long drafts = 0;
      long accepted = 0;
      for (RequestRecord r : run.records()) {
        GroundTruth.Trace t = mock.groundTruth().get(r.id());
        int[] seen = Arrays.stream(r.chunkTokens()).filter(n -> n > 0).toArray();
        assertArrayEquals(t.chunkTokens(), seen, r.id());
        for (int n : t.chunkTokens()) {
          expected.merge(Integer.toString(n), 1, Integer::sum);
        }
        drafts += t.specDrafts();
        accepted += t.specAccepted();
      }
      JsonNode res = run.result();
      Map<String, Integer> counted = new TreeMap<>();
      res.get("tokens_per_chunk").fields().forEachRemaining(e -> counted.put(e.getKey(), e.getValue().asInt()));
      assertEquals(expected, counted);
      assertTrue(counted.size() > 1, "several chunk sizes: " + counted);
      assertEquals((double) accepted / (drafts * 3), res.get("server_spec_acceptance_rate").asDouble(), 1e-9);
      assertEquals(1 + (double) accepted / drafts, res.get("server_spec_mean_acceptance_length").asDouble(), 1e-9);
      assertTrue(res.get("mean_itl_per_token_ms").asDouble() < res.get("mean_itl_ms").asDouble(),
          "per token is less than per chunk when chunks hold several");
      assertEquals(60 * 8, res.get("total_output_tokens").asInt());
    }
  }

  @Test
  void aModelThatDoesNotReasonShowsNoneOfIt() throws Exception {
    try (MockServer mock = mock(MockConfig.builder())) {
      JsonNode res = run(mock, "--endpoint", "chat", "--input-len", "20", "--output-len", "10").result();
      for (String k : List.of("ttfos", "mean_ttfo_ms", "total_reasoning_tokens", "tokens_per_chunk")) {
        assertFalse(res.has(k), k);
      }
      assertEquals("vLLM", res.get("server_family").asText());
      assertTrue(res.get("min_tokens_sent").asBoolean());
      assertEquals(0, res.get("output_len_different").asInt());
    }
  }

  @Test
  void minTokensKeepsEveryOutputExactAndItsAbsenceIsCounted() throws Exception {
    try (MockServer mock = mock(MockConfig.builder().stopTokenRate(0.03))) {
      Run with = run(mock, "--input-len", "20", "--output-len", "80");
      for (RequestRecord r : with.records()) {
        GroundTruth.Trace t = mock.groundTruth().get(r.id());
        assertEquals(80, t.minTokens(), "min_tokens sent");
        assertEquals(80, r.completionTokens());
      }
      assertEquals(0, with.result().get("output_len_different").asInt());
      mock.groundTruth().clear();
      Run without = run(mock, "--input-len", "20", "--output-len", "80", "--no-min-tokens", "true");
      int early = 0;
      for (RequestRecord r : without.records()) {
        GroundTruth.Trace t = mock.groundTruth().get(r.id());
        assertEquals(0, t.minTokens());
        assertEquals(t.completionTokens(), r.completionTokens());
        early += t.completionTokens() < 80 ? 1 : 0;
      }
      assertTrue(early > 0, "the mock stopped some early");
      assertEquals(early, without.result().get("output_len_different").asInt());
      String warnings = without.result().get("warnings").toString();
      assertTrue(warnings.contains(early + " of 8 requests generated another length than the 80 tokens asked"), warnings);
    }
  }

  @Test
  void chatPromptsAreExactThroughLlamaCppsAndTgisTokenizeEndpoints() throws Exception {
    for (String shape : List.of("llamacpp", "tgi")) {
      try (MockServer mock = mock(MockConfig.builder().chunkShape(shape))) {
        Run run = run(mock, "--endpoint", "chat", "--input-len", "100", "--output-len", "10");
        for (RequestRecord r : run.records()) {
          assertEquals(100, mock.groundTruth().get(r.id()).promptTokens(), shape);
          assertEquals(100, r.promptTokens(), shape);
        }
        JsonNode res = run.result();
        assertTrue(res.get("chat_prompts_checked_by_server").asBoolean(), shape);
        assertTrue(res.get("chat_template_tokens").asInt() > 0, shape);
        assertFalse(res.get("min_tokens_sent").asBoolean(), shape + " does not document min_tokens");
        assertTrue(res.get("warnings").toString().contains("does not document min_tokens"), shape);
      }
    }
  }

  /** No tokenize endpoint: the template's tokens, measured with an empty message, size the prompts; no tokenizer blamed. */
  @Test
  void withoutTokenizeTheTemplateIsMeasuredNotTheTokenizerBlamed() throws Exception {
    try (MockServer mock = mock(MockConfig.builder().tokenize(false))) {
      Run run = run(mock, "--endpoint", "chat", "--input-len", "100", "--output-len", "10");
      for (RequestRecord r : run.records()) {
        assertEquals(100, r.promptTokens(), "the builtin tokenizer's template edges do not merge: exact");
      }
      JsonNode res = run.result();
      assertFalse(res.get("chat_prompts_checked_by_server").asBoolean());
      String warnings = res.get("warnings").toString();
      assertTrue(warnings.contains("sized by its chat template's " + res.get("chat_template_tokens").asInt() + " tokens"),
          warnings);
      assertFalse(warnings.contains("tokenizer?"), warnings);
    }
  }
}
