package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import llmbench.mock.GroundTruth;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.testutil.GatlingRuns;
import llmbench.testutil.Sweeps;
import llmbench.trace.RequestRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code --endpoint responses|embeddings|rerank} against the mock: each level's result file with the
 * numbers the mock's own record confirms (tokens it counted and generated), the Responses API's typed
 * events read as chunks, the pooling endpoints measured end to end as vLLM measures them.
 */
class EndpointsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void embeddingsInBatchesAreMeasuredEndToEndWithTheTokensTheServerCounted() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "embeddings");
    Path out = work.resolve("out");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).keepTraces(true).build())) {
      String console = Sweeps.sweep(work, "--url", mock.baseUrl(), "--profiles", "low", "--levels", "2", "--rounds", "5",
          "--endpoint", "embeddings", "--batch-size", "8", "--input-len", "50", "--out", out.toString());
      List<RequestRecord> records = GatlingRuns.measured(work.resolve("gatling"));
      assertEquals(10, records.size());
      long counted = 0;
      for (RequestRecord r : records) {
        GroundTruth.Trace t = mock.groundTruth().get(r.id());
        assertEquals("embeddings", t.endpoint());
        assertEquals(t.promptTokens(), r.promptTokens(), "the usage's prompt_tokens");
        counted += t.promptTokens();
      }
      assertEquals(10 * 8 * 50, counted, "8 inputs of exactly 50 tokens in each request");
      JsonNode res = llmbench.testutil.Results.mockLevel(out);
      assertEquals("openai-embeddings", res.get("endpoint_type").asText());
      assertEquals(10, res.get("completed").asInt());
      assertEquals(counted, res.get("total_input_tokens").asLong());
      assertEquals(0, res.get("total_output_tokens").asLong());
      assertEquals(8, res.get("batch_size").asInt());
      double duration = res.get("duration").asDouble();
      assertEquals(80 / duration, res.get("inputs_per_s").asDouble(), 1e-6);
      assertEquals(counted / duration, res.get("total_token_throughput").asDouble(), 1e-6);
      assertTrue(res.get("mean_e2el_ms").asDouble() > 0);
      assertNull(res.get("mean_ttft_ms"), "nothing streams: no TTFT");
      assertTrue(console.contains("Mean E2EL (ms):") && !console.contains("Total generated tokens"), console);
      for (JsonNode b : mock.groundTruth().bodies()) {
        assertEquals(8, b.get("input").size());
        assertTrue(!b.has("stream"), "an embeddings request is not streamed");
      }
    }
  }

  @Test
  void rerankScoresDocumentsAgainstAQuery() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "rerank");
    Path out = work.resolve("out");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).keepTraces(true).build())) {
      Sweeps.sweep(work, "--url", mock.baseUrl(), "--profiles", "low", "--levels", "2", "--rounds", "3",
          "--endpoint", "rerank", "--batch-size", "4", "--input-len", "40", "--out", out.toString());
      long counted = GatlingRuns.measured(work.resolve("gatling")).stream()
          .mapToLong(r -> mock.groundTruth().get(r.id()).promptTokens()).sum();
      JsonNode res = llmbench.testutil.Results.mockLevel(out);
      assertEquals("vllm-rerank", res.get("endpoint_type").asText());
      assertEquals(6, res.get("completed").asInt());
      assertEquals(counted, res.get("total_input_tokens").asLong(), "the usage's total_tokens, as the mock counted");
      for (JsonNode b : mock.groundTruth().bodies()) {
        assertEquals(4, b.get("documents").size());
        assertTrue(b.get("query").isTextual());
      }
    }
  }

  @Test
  void theResponsesApisTypedEventsAreReadAsChunksWithTheirUsage() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "responses");
    Path out = work.resolve("out");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).keepTraces(true)
        .reasoningTokens(6).eosProbability(0).build())) {
      Sweeps.sweep(work, "--url", mock.baseUrl(), "--profiles", "low", "--levels", "2", "--rounds", "5",
          "--endpoint", "responses", "--output-len", "20", "--out", out.toString());
      List<RequestRecord> records = GatlingRuns.measured(work.resolve("gatling"));
      assertEquals(10, records.size());
      long generated = 0;
      for (RequestRecord r : records) {
        GroundTruth.Trace t = mock.groundTruth().get(r.id());
        assertTrue(r.success(), r.error());
        assertEquals(t.completionTokens(), r.completionTokens(), "response.completed's output_tokens");
        assertEquals(t.promptTokens(), r.promptTokens(), "its input_tokens");
        assertEquals(t.choiceChunkNs().length, r.chunkNs().length, "one chunk per delta event");
        assertEquals(6, r.reasoningTokens(), "reasoning_text deltas and output_tokens_details");
        generated += t.completionTokens();
      }
      JsonNode res = llmbench.testutil.Results.mockLevel(out);
      assertEquals("openai-responses", res.get("endpoint_type").asText());
      assertEquals(generated, res.get("total_output_tokens").asLong());
      assertTrue(res.get("mean_ttft_ms").asDouble() > 0 && res.get("mean_tpot_ms").asDouble() > 0);
      assertTrue(res.get("mean_ttfo_ms").asDouble() > res.get("mean_ttft_ms").asDouble(), "thinking before the answer");
      int levelBodies = 0;
      for (JsonNode b : mock.groundTruth().bodies()) {
        levelBodies += b.path("max_output_tokens").asInt() == 20 ? 1 : 0; // the warm-up's ask 16
        assertTrue(b.get("input").isTextual() && !b.has("stream_options") && b.get("stream").asBoolean());
      }
      assertEquals(10, levelBodies);
    }
  }

  @Test
  void endpointMistakesAreOneLine() throws Exception {
    Sweeps.refusedBeforeAnything("badendpoint", List.of("--mock"), Map.of(
        List.of("--endpoint", "score"), "error: --endpoint must be completions, chat, responses, embeddings or rerank, "
            + "not 'score'",
        List.of("--batch-size", "4"), "error: --batch-size is the inputs of an embeddings request or the documents of "
            + "a rerank request: give --endpoint embeddings or rerank",
        List.of("--endpoint", "embeddings", "--turns", "2"), "error: --endpoint embeddings sends random prompts of "
            + "--input-len tokens: leave out --turns"));
  }
}
