package llmbench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import llmbench.stats.LevelMetrics;

/**
 * vLLM's result file ({@code vllm bench serve --save-result --save-detailed}), keys in vLLM's order,
 * with our own keys where vLLM puts {@code --metadata}.
 */
public final class ResultJson {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultJson() {}

  public static ObjectNode toJson(LevelReport r) {
    LevelMetrics m = r.metrics();
    ObjectNode o = JSON.createObjectNode();
    o.put("date", r.date());
    o.put("endpoint_type", r.endpointType());
    o.put("backend", r.endpointType());
    o.putNull("label");
    o.put("model_id", r.modelId());
    o.put("tokenizer_id", r.tokenizerId());
    o.put("num_prompts", m.numPrompts());
    for (Map.Entry<String, Object> e : r.metadata().entrySet()) {
      o.set(e.getKey(), JSON.valueToTree(e.getValue()));
    }
    o.put("request_rate", "inf");
    o.put("burstiness", 1.0);
    o.put("max_concurrency", r.concurrency());
    o.put("duration", m.duration());
    o.put("completed", m.completed());
    o.put("failed", m.failed());
    o.put("total_input_tokens", m.totalInput());
    o.put("total_output_tokens", m.totalOutput());
    o.put("request_throughput", m.requestThroughput());
    if (m.requestGoodput() != null) {
      o.put("request_goodput", m.requestGoodput());
    } else {
      o.putNull("request_goodput");
    }
    o.put("output_throughput", m.outputThroughput());
    o.put("total_token_throughput", m.totalTokenThroughput());
    o.set("input_lens", JSON.valueToTree(m.inputLens()));
    o.set("output_lens", JSON.valueToTree(m.outputLens()));
    o.set("ttfts", JSON.valueToTree(m.ttfts()));
    ArrayNode itls = o.putArray("itls");
    for (double[] itl : m.itls()) {
      ArrayNode a = itls.addArray();
      for (double v : itl) {
        a.add(v);
      }
    }
    o.set("latencies", JSON.valueToTree(m.latencies()));
    o.set("start_times", JSON.valueToTree(m.startTimes()));
    o.set("generated_texts", JSON.valueToTree(m.generatedTexts()));
    o.set("errors", JSON.valueToTree(m.errors()));
    o.put("max_output_tokens_per_s", m.maxOutputTokensPerS());
    o.put("max_concurrent_requests", m.maxConcurrentRequests());
    for (String metric : r.percentileMetrics()) {
      LevelMetrics.Summary s = m.summaries().get(metric);
      o.put("mean_" + metric + "_ms", s.mean());
      o.put("median_" + metric + "_ms", s.median());
      o.put("std_" + metric + "_ms", s.std());
      for (Map.Entry<Double, Double> p : s.percentiles().entrySet()) {
        o.put("p" + ConsoleBlock.percentileWord(p.getKey()) + "_" + metric + "_ms", p.getValue());
      }
    }
    return o;
  }

  public static void write(LevelReport r, Path file) throws IOException {
    JSON.writeValue(file.toFile(), toJson(r));
  }
}
