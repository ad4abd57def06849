package llmbench.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A streamed answer as OpenAI's Responses API (vLLM's {@code /v1/responses}) sends it: typed SSE events,
 * each named by an {@code event:} line and a {@code type} field (last, as vLLM's): {@code response.created}, the output
 * item and its content part opening, one {@code response.output_text.delta} (or {@code
 * response.reasoning_text.delta} for thinking) per chunk of tokens, their closing events, then {@code
 * response.completed} with the usage ({@code input_tokens}, {@code output_tokens}); no {@code [DONE]}.
 */
final class ResponsesEvents {
  private ResponsesEvents() {}

  /** Writes the events of tokens {@code first}..; returns how many of them carry tokens (the ground truth's chunks). */
  static int write(ChunkShape.Stream s, ByteBuf buf, int first, int count, String text, boolean reasoning,
      String finishReason) {
    int last = first + count - 1;
    if (first == 0) {
      ObjectNode created = MockServer.JSON.createObjectNode();
      created.set("response", response(s, "in_progress", -1));
      write(buf, "response.created", created.put("sequence_number", 0));
      ObjectNode added = MockServer.JSON.createObjectNode();
      added.putObject("item").put("id", "msg_" + s.id()).put("type", "message").put("status", "in_progress")
          .put("role", "assistant").putArray("content");
      write(buf, "response.output_item.added", added.put("output_index", 0).put("sequence_number", 1));
    }
    ObjectNode delta = MockServer.JSON.createObjectNode().put("content_index", 0).put("delta", text)
        .put("item_id", "msg_" + s.id()).put("output_index", 0).put("sequence_number", first + 2);
    write(buf, reasoning ? "response.reasoning_text.delta" : "response.output_text.delta", delta);
    if (finishReason != null) {
      ObjectNode done = MockServer.JSON.createObjectNode();
      done.putObject("item").put("id", "msg_" + s.id()).put("type", "message").put("status", "completed");
      write(buf, "response.output_item.done", done.put("output_index", 0).put("sequence_number", last + 3));
      ObjectNode completed = MockServer.JSON.createObjectNode();
      completed.set("response", response(s, "completed", last + 1));
      write(buf, "response.completed", completed.put("sequence_number", last + 4));
    }
    return 1;
  }

  private static ObjectNode response(ChunkShape.Stream s, String status, int outputTokens) {
    ObjectNode r = MockServer.JSON.createObjectNode().put("id", s.id()).put("object", "response")
        .put("created_at", s.created()).put("status", status).put("model", s.model());
    r.putArray("output");
    if (outputTokens >= 0) {
      ObjectNode u = r.putObject("usage").put("input_tokens", s.promptTokens());
      u.putObject("input_tokens_details").put("cached_tokens", 0);
      u.put("output_tokens", outputTokens);
      u.putObject("output_tokens_details").put("reasoning_tokens", Math.min(s.reasoningTokens(), outputTokens));
      u.put("total_tokens", s.promptTokens() + outputTokens);
    } else {
      r.putNull("usage");
    }
    return r;
  }

  /** An event: its name, and its data with {@code type} last, as the openai package's models (vLLM's) serialize. */
  private static void write(ByteBuf buf, String type, ObjectNode data) {
    buf.writeBytes(("event: " + type + "\n").getBytes(StandardCharsets.US_ASCII));
    HttpReplies.sse(buf, data.put("type", type));
  }
}
