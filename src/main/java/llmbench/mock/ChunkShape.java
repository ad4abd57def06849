package llmbench.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * How a server shapes its streamed chunks, so that a client meets more than vLLM's: vLLM (the
 * default); llama.cpp (b11669, from captured streams: fields in another order, {@code
 * system_fingerprint}, a finish chunk that still carries choices and, for completions, the usage and
 * {@code timings}); SGLang (its pydantic models: null fields on every chunk, {@code matched_stop});
 * TGI (router/src/lib.rs: an empty {@code id}, {@code "role":"assistant"} on every chat delta, a
 * keep-alive comment). Each token's events are written at once; the number of events that carry
 * choices is returned, for the mock's ground truth.
 */
enum ChunkShape {
  VLLM, LLAMACPP, SGLANG, TGI;

  static ChunkShape parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT).replace(".", "").replace("-", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown chunk shape '" + s + "': use vllm, llamacpp, sglang or tgi");
    }
  }

  /**
   * One stream's fixed facts.
   *
   * @param chunkUsage usage on every chunk (vLLM's and SGLang's {@code stream_options.continuous_usage_stats})
   * @param reasoningTokens the thinking tokens before the answer (chat)
   * @param call the tool call the answer is, or null
   * @param responses the Responses API's typed events ({@code /v1/responses}) instead of chat chunks
   */
  record Stream(String id, String model, long created, boolean chat, int promptTokens, boolean includeUsage,
      boolean chunkUsage, int reasoningTokens, ToolCalls.Call call, boolean responses) {}

  /**
   * Writes the events of the chunk that carries tokens {@code first}..{@code first + count - 1}
   * ({@code finishReason} non-null on the last) into {@code buf}; returns how many of them carry a
   * non-empty {@code choices} list.
   *
   * @param reasoning the tokens are thinking, sent in the family's reasoning field
   */
  int chunk(Stream s, ByteBuf buf, int first, int count, String text, boolean reasoning, String finishReason) {
    if (s.responses()) {
      return ResponsesEvents.write(s, buf, first, count, text, reasoning, finishReason);
    }
    int choices = 0;
    int index = first + count - 1;
    if (this == TGI && first == 0) {
      buf.writeBytes(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII)); // a comment, not an event
    }
    if (s.chat() && first == 0 && this != TGI) {
      HttpReplies.sse(buf, withChunkUsage(s, roleChunk(s), 0));
      choices++;
    }
    if (s.call() != null && s.chat() && first == 0 && (this == SGLANG || this == LLAMACPP)) {
      HttpReplies.sse(buf, withChunkUsage(s, toolNameChunk(s), 0)); // their parsers name the call before its arguments
      choices++;
    }
    boolean separateFinish = this == LLAMACPP;
    ObjectNode token = s.call() != null && s.chat() ? toolChunk(s, first, text, separateFinish ? null : finishReason)
        : tokenChunk(s, text, reasoning, separateFinish ? null : finishReason);
    HttpReplies.sse(buf, withChunkUsage(s, token, index + 1));
    choices++;
    if (finishReason == null) {
      return choices;
    }
    if (separateFinish) {
      ObjectNode fin = s.chat() ? chatChunk(s, MockServer.JSON.createObjectNode(), finishReason)
          : completionChunk(s, "", finishReason);
      if (!s.chat() && s.includeUsage()) {
        fin.remove("id"); // llama.cpp's order: ..., object, usage, id, timings
        fin.set("usage", usage(s, index + 1));
        fin.put("id", s.id());
        fin.set("timings", timings(index + 1));
      }
      HttpReplies.sse(buf, fin);
      choices++;
    }
    if (s.includeUsage() && (this != LLAMACPP || s.chat())) {
      ObjectNode u = base(s);
      u.putArray("choices");
      ObjectNode usage = usage(s, index + 1);
      if (this == SGLANG && s.reasoningTokens() > 0) {
        usage.put("reasoning_tokens", s.reasoningTokens()); // SGLang's own key (FIELD_NOTES §19)
      }
      u.set("usage", usage);
      if (this == LLAMACPP) {
        u.set("timings", timings(index + 1));
      }
      HttpReplies.sse(buf, u);
    }
    buf.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
    return choices;
  }

  private ObjectNode roleChunk(Stream s) {
    ObjectNode delta = MockServer.JSON.createObjectNode().put("role", "assistant");
    if (this == LLAMACPP) {
      delta.putNull("content");
    } else {
      delta.put("content", "");
    }
    return chatChunk(s, delta, null);
  }

  /** Usage on a chunk of a stream that asked for it on every chunk: the tokens generated so far. */
  private ObjectNode withChunkUsage(Stream s, ObjectNode chunk, int completion) {
    if (s.chunkUsage() && (this == VLLM || this == SGLANG)) {
      chunk.set("usage", usage(s, completion));
    }
    return chunk;
  }

  /**
   * A chunk's delta: the answer in {@code content}, thinking in vLLM's {@code reasoning} or
   * SGLang's and llama.cpp's {@code reasoning_content}; TGI has no reasoning field (thinking is content).
   */
  private ObjectNode tokenChunk(Stream s, String piece, boolean reasoning, String finishReason) {
    if (!s.chat()) {
      return completionChunk(s, piece, finishReason);
    }
    ObjectNode delta = MockServer.JSON.createObjectNode();
    switch (this) {
      case TGI -> delta.put("role", "assistant").put("content", piece);
      case SGLANG -> {
        delta.putNull("role");
        if (reasoning) {
          delta.putNull("content").put("reasoning_content", piece);
        } else {
          delta.put("content", piece).putNull("reasoning_content");
        }
        delta.putNull("tool_calls");
      }
      case LLAMACPP -> delta.put(reasoning ? "reasoning_content" : "content", piece);
      default -> delta.put(reasoning ? "reasoning" : "content", piece);
    }
    return chatChunk(s, delta, finishReason);
  }

  /**
   * A chunk of a tool call: in vLLM's (and OpenAI's) delta the first names the call and the function;
   * SGLang and llama.cpp name it in a chunk of its own ({@link #toolNameChunk}), SGLang with every other
   * field null; every chunk carries the next piece of the arguments.
   */
  private ObjectNode toolChunk(Stream s, int first, String piece, String finishReason) {
    ObjectNode delta = MockServer.JSON.createObjectNode();
    if (this == SGLANG) { // every field of its pydantic delta, null when unset
      delta.putNull("role").putNull("content").putNull("reasoning_content");
      ObjectNode call = delta.putArray("tool_calls").addObject().putNull("id").put("index", 0).putNull("type");
      call.putObject("function").putNull("name").put("arguments", piece);
      return chatChunk(s, delta, finishReason);
    }
    ObjectNode call = delta.putArray("tool_calls").addObject().put("index", 0);
    if (this == LLAMACPP) {
      call.putObject("function").put("arguments", piece);
      return chatChunk(s, delta, finishReason);
    }
    if (first == 0) {
      call.put("id", s.call().id()).put("type", "function").putObject("function").put("name", s.call().name())
          .put("arguments", piece);
    } else {
      call.putObject("function").put("arguments", piece);
    }
    return chatChunk(s, delta, finishReason);
  }

  /** SGLang's and llama.cpp's first chunk of a call: its id and the function's name, no arguments yet. */
  private ObjectNode toolNameChunk(Stream s) {
    ObjectNode delta = MockServer.JSON.createObjectNode();
    if (this == SGLANG) {
      delta.putNull("role").putNull("content").putNull("reasoning_content");
      ObjectNode call = delta.putArray("tool_calls").addObject().put("id", s.call().id()).put("index", 0)
          .put("type", "function");
      call.putObject("function").put("name", s.call().name()).put("arguments", "");
    } else {
      ObjectNode call = delta.putArray("tool_calls").addObject().put("index", 0).put("id", s.call().id())
          .put("type", "function");
      call.putObject("function").put("name", s.call().name()).put("arguments", "");
    }
    return chatChunk(s, delta, null);
  }

  private ObjectNode chatChunk(Stream s, ObjectNode delta, String finishReason) {
    ObjectNode c = this == LLAMACPP ? MockServer.JSON.createObjectNode() : base(s);
    ObjectNode choice = c.putArray("choices").addObject();
    if (this == LLAMACPP) {
      choice.put("finish_reason", finishReason).put("index", 0).set("delta", delta);
      tail(c, s);
      return c;
    }
    choice.put("index", 0).set("delta", delta);
    choice.putNull("logprobs").put("finish_reason", finishReason);
    if (this == SGLANG) {
      choice.putNull("matched_stop");
      c.putNull("usage");
    } else if (this == TGI) {
      c.putNull("usage");
    }
    return c;
  }

  private ObjectNode completionChunk(Stream s, String piece, String finishReason) {
    ObjectNode c = this == LLAMACPP ? MockServer.JSON.createObjectNode() : base(s);
    ObjectNode choice = c.putArray("choices").addObject();
    if (this == LLAMACPP) {
      choice.put("text", piece).put("index", 0).putNull("logprobs").put("finish_reason", finishReason);
      tail(c, s);
      return c;
    }
    choice.put("index", 0).put("text", piece).putNull("logprobs").put("finish_reason", finishReason);
    switch (this) {
      case VLLM -> {
        if (finishReason != null) {
          choice.putNull("stop_reason");
        }
      }
      case SGLANG -> {
        choice.putNull("matched_stop");
        c.putNull("usage");
      }
      default -> { }
    }
    return c;
  }

  /** The fields around {@code choices}, in each server's order. */
  private ObjectNode base(Stream s) {
    ObjectNode c = MockServer.JSON.createObjectNode();
    String object = s.chat() ? "chat.completion.chunk" : "text_completion";
    if (this == TGI) {
      c.put("object", object).put("id", "").put("created", s.created()).put("model", s.model())
          .put("system_fingerprint", "3.3.6-native");
    } else if (this == LLAMACPP) {
      tail(c, s);
    } else {
      c.put("id", s.id()).put("object", object).put("created", s.created()).put("model", s.model());
    }
    return c;
  }

  private static void tail(ObjectNode c, Stream s) {
    c.put("created", s.created()).put("model", s.model()).put("system_fingerprint", "b11669-mock")
        .put("object", s.chat() ? "chat.completion.chunk" : "text_completion").put("id", s.id());
  }

  private static ObjectNode usage(Stream s, int completion) {
    return MockServer.JSON.createObjectNode().put("prompt_tokens", s.promptTokens())
        .put("total_tokens", s.promptTokens() + completion).put("completion_tokens", completion);
  }

  private static ObjectNode timings(int predicted) {
    return MockServer.JSON.createObjectNode().put("cache_n", 0).put("predicted_n", predicted);
  }
}
