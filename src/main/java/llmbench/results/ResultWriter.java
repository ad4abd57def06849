package llmbench.results;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a {@link LevelResult} in vLLM's key order ({@code vllm bench serve --save-result
 * --save-detailed}), our keys where vLLM puts {@code --metadata}. The bulky per-request arrays (every
 * chunk's ITL, the texts) come from a {@link Bulk} one request at a time, so a large level is never
 * held in memory whole.
 */
public final class ResultWriter {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  /** Request {@code i}'s bulky fields, in the order of the result's arrays. */
  public interface Bulk {
    double[] itls(int i);

    String generatedText(int i);

    String error(int i);
  }

  private ResultWriter() {}

  /** The result with its own arrays. */
  public static void write(LevelResult r, Path file) throws IOException {
    write(r, new Bulk() {
      @Override
      public double[] itls(int i) {
        return r.itls()[i];
      }

      @Override
      public String generatedText(int i) {
        return r.generatedTexts().get(i);
      }

      @Override
      public String error(int i) {
        return r.errors().get(i);
      }
    }, file);
  }

  /** @param bulk the ITLs, texts and errors of the result's {@code numPrompts} requests */
  public static void write(LevelResult r, Bulk bulk, Path file) throws IOException {
    try (JsonGenerator g = JSON.getFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("date", r.date());
      g.writeStringField("endpoint_type", r.endpointType());
      g.writeStringField("backend", r.backend());
      g.writeNullField("label");
      g.writeStringField("model_id", r.modelId());
      g.writeStringField("tokenizer_id", r.tokenizerId());
      g.writeNumberField("num_prompts", r.numPrompts());
      given(g, "tool", r.tool());
      given(g, "profile", r.profile());
      given(g, "level", r.level());
      given(g, "random_input_len", r.randomInputLen());
      given(g, "random_output_len", r.randomOutputLen());
      given(g, "gatling_run", r.gatlingRun());
      given(g, "base_url", r.baseUrl());
      given(g, "max_model_len", r.maxModelLen());
      given(g, "arrival_seed", r.arrivalSeed());
      for (Map.Entry<String, Object> e : r.other().entrySet()) {
        if (!LevelResult.isStatistic(e.getKey())) {
          field(g, e.getKey(), e.getValue());
        }
      }
      given(g, "level_start_epoch_ms", r.levelStartEpochMs());
      given(g, "level_end_epoch_ms", r.levelEndEpochMs());
      given(g, "failures_by_kind", r.failuresByKind());
      given(g, "warnings", r.warnings());
      if (r.requestRate() == null || r.requestRate().isInfinite()) {
        g.writeStringField("request_rate", "inf");
      } else {
        g.writeNumberField("request_rate", r.requestRate());
      }
      g.writeNumberField("burstiness", r.burstiness() == null ? 1.0 : r.burstiness());
      field(g, "max_concurrency", r.maxConcurrency());
      g.writeNumberField("duration", r.duration());
      g.writeNumberField("completed", r.completed());
      g.writeNumberField("failed", r.failed());
      g.writeNumberField("total_input_tokens", r.totalInputTokens());
      g.writeNumberField("total_output_tokens", r.totalOutputTokens());
      g.writeNumberField("request_throughput", r.requestThroughput());
      field(g, "request_goodput", r.requestGoodput());
      g.writeNumberField("output_throughput", r.outputThroughput());
      g.writeNumberField("total_token_throughput", r.totalTokenThroughput());
      field(g, "input_lens", r.inputLens());
      field(g, "output_lens", r.outputLens());
      field(g, "ttfts", r.ttfts());
      int n = r.numPrompts();
      g.writeArrayFieldStart("itls");
      for (int i = 0; i < n; i++) {
        double[] itl = bulk.itls(i);
        g.writeArray(itl, 0, itl.length);
      }
      g.writeEndArray();
      field(g, "latencies", r.latencies());
      field(g, "start_times", r.startTimes());
      g.writeArrayFieldStart("generated_texts");
      for (int i = 0; i < n; i++) {
        g.writeString(bulk.generatedText(i));
      }
      g.writeEndArray();
      g.writeArrayFieldStart("errors");
      for (int i = 0; i < n; i++) {
        g.writeString(bulk.error(i));
      }
      g.writeEndArray();
      field(g, "max_output_tokens_per_s", r.maxOutputTokensPerS());
      field(g, "max_concurrent_requests", r.maxConcurrentRequests());
      for (Map.Entry<String, Object> e : r.other().entrySet()) {
        if (LevelResult.isStatistic(e.getKey())) {
          field(g, e.getKey(), e.getValue());
        }
      }
      g.writeEndObject();
    }
  }

  /** A key of ours: written when it has a value (a dataset's level has no random lengths). */
  private static void given(JsonGenerator g, String name, Object value) throws IOException {
    if (value != null) {
      field(g, name, value);
    }
  }

  private static void field(JsonGenerator g, String name, Object value) throws IOException {
    g.writeFieldName(name);
    JSON.writeValue(g, value);
  }
}
