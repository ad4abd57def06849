package llmbench.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import llmbench.stats.LevelMetrics;

/**
 * vLLM's result file ({@code vllm bench serve --save-result --save-detailed}), keys in vLLM's order,
 * with our own keys where vLLM puts {@code --metadata}.
 */
public final class ResultJson {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private ResultJson() {}

  /**
   * Writes the result with a streaming generator: the per-request arrays of a large level (ITLs of
   * every chunk, texts) go from the level's temporary files to the result one request at a time.
   */
  public static void write(LevelReport r, Path file) throws IOException {
    LevelMetrics m = r.metrics();
    try (JsonGenerator g = JSON.getFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("date", r.date());
      g.writeStringField("endpoint_type", r.endpointType());
      g.writeStringField("backend", r.endpointType());
      g.writeNullField("label");
      g.writeStringField("model_id", r.modelId());
      g.writeStringField("tokenizer_id", r.tokenizerId());
      g.writeNumberField("num_prompts", m.numPrompts());
      for (Map.Entry<String, Object> e : r.metadata().entrySet()) {
        field(g, e.getKey(), e.getValue());
      }
      RunInfo.Schedule schedule = r.schedule();
      if (schedule == null || schedule.requestRate().equals("inf")) {
        g.writeStringField("request_rate", "inf");
      } else {
        g.writeNumberField("request_rate", Double.parseDouble(schedule.requestRate()));
      }
      g.writeNumberField("burstiness", schedule == null ? 1.0 : schedule.burstiness());
      if (r.maxConcurrency() == null) {
        g.writeNullField("max_concurrency");
      } else {
        g.writeNumberField("max_concurrency", r.maxConcurrency());
      }
      g.writeNumberField("duration", m.duration());
      g.writeNumberField("completed", m.completed());
      g.writeNumberField("failed", m.failed());
      g.writeNumberField("total_input_tokens", m.totalInput());
      g.writeNumberField("total_output_tokens", m.totalOutput());
      g.writeNumberField("request_throughput", m.requestThroughput());
      if (m.requestGoodput() != null) {
        g.writeNumberField("request_goodput", m.requestGoodput());
      } else {
        g.writeNullField("request_goodput");
      }
      g.writeNumberField("output_throughput", m.outputThroughput());
      g.writeNumberField("total_token_throughput", m.totalTokenThroughput());
      field(g, "input_lens", m.inputLens());
      field(g, "output_lens", m.outputLens());
      field(g, "ttfts", m.ttfts());
      LevelMetrics.PerRequest each = m.perRequest();
      g.writeArrayFieldStart("itls");
      for (int i = 0; i < m.numPrompts(); i++) {
        double[] itl = each.itls(i);
        g.writeArray(itl, 0, itl.length);
      }
      g.writeEndArray();
      field(g, "latencies", m.latencies());
      field(g, "start_times", m.startTimes());
      g.writeArrayFieldStart("generated_texts");
      for (int i = 0; i < m.numPrompts(); i++) {
        g.writeString(each.generatedText(i));
      }
      g.writeEndArray();
      g.writeArrayFieldStart("errors");
      for (int i = 0; i < m.numPrompts(); i++) {
        g.writeString(each.error(i));
      }
      g.writeEndArray();
      g.writeNumberField("max_output_tokens_per_s", m.maxOutputTokensPerS());
      g.writeNumberField("max_concurrent_requests", m.maxConcurrentRequests());
      for (String metric : r.percentileMetrics()) {
        LevelMetrics.Summary s = m.summaries().get(metric);
        g.writeNumberField("mean_" + metric + "_ms", s.mean());
        g.writeNumberField("median_" + metric + "_ms", s.median());
        g.writeNumberField("std_" + metric + "_ms", s.std());
        for (Map.Entry<Double, Double> p : s.percentiles().entrySet()) {
          g.writeNumberField("p" + ConsoleBlock.percentileWord(p.getKey()) + "_" + metric + "_ms", p.getValue());
        }
      }
      g.writeEndObject();
    }
  }

  private static void field(JsonGenerator g, String name, Object value) throws IOException {
    g.writeFieldName(name);
    JSON.writeValue(g, value);
  }
}
