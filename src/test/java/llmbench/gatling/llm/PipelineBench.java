package llmbench.gatling.llm;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import llmbench.trace.StreamRecorder;

/**
 * The LLM action's own work per chunk, without a socket: a vLLM completion stream's bytes, one chunk per
 * read as the mock sends them, through the connection's handlers (read stamp, HTTP decoding, SSE, the
 * recorder, the silence timer) on an in-memory channel. What is left of the client's CPU per chunk is
 * the transport's: the kernel, Netty's epoll loop and its buffers, the threads' wake-ups.
 */
public final class PipelineBench {
  private static final int TOKENS = 100;
  private static final int PER_CONNECTION = 20;

  private PipelineBench() {}

  private static ByteBuf chunk(String sse) {
    byte[] b = sse.getBytes(StandardCharsets.UTF_8);
    ByteBuf buf = Unpooled.buffer();
    buf.writeCharSequence(Integer.toHexString(b.length) + "\r\n", StandardCharsets.US_ASCII);
    buf.writeBytes(b);
    buf.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
    return buf;
  }

  /** Streams {@code requests} answers of 100 tokens; the second half timed. */
  public static Map<String, Object> run(int requests) {
    String id = "\"id\":\"cmpl-8f3a2b1c9d0e4f5a8b7c6d5e4f3a2b1c\",\"object\":\"text_completion\",\"created\":1764781200,"
        + "\"model\":\"meta-llama/Llama-3.1-8B-Instruct\"";
    ByteBuf[] parts = new ByteBuf[TOKENS + 4];
    parts[0] = Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
        + "transfer-encoding: chunked\r\ndate: Thu, 03 Dec 2026 17:00:00 GMT\r\nserver: uvicorn\r\n\r\n",
        StandardCharsets.US_ASCII);
    for (int i = 0; i < TOKENS; i++) {
      parts[i + 1] = chunk("data: {" + id + ",\"choices\":[{\"index\":0,\"text\":\" tok" + i
          + "\",\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null}],\"usage\":null}\n\n");
    }
    parts[TOKENS + 1] = chunk("data: {" + id + ",\"choices\":[],\"usage\":{\"prompt_tokens\":200,"
        + "\"total_tokens\":300,\"completion_tokens\":100}}\n\n");
    parts[TOKENS + 2] = chunk("data: [DONE]\n\n");
    parts[TOKENS + 3] = Unpooled.copiedBuffer("0\r\n\r\n", StandardCharsets.US_ASCII);
    LlmSettings settings = LlmSettings.of("http://127.0.0.1:1", null, true, 600_000);
    LlmClient client = new LlmClient(settings);
    long chunks = 0;
    long t0 = 0;
    int connections = Math.max(2, requests / PER_CONNECTION);
    for (int c = 0; c < connections; c++) {
      if (c == connections / 2) {
        t0 = System.nanoTime();
        chunks = 0;
      }
      UserConnection conn = new UserConnection();
      EmbeddedChannel ch = new EmbeddedChannel();
      client.pipeline(ch, conn);
      conn.attach(ch);
      for (int k = 0; k < PER_CONNECTION; k++) {
        Exchange ex = new Exchange(new StreamRecorder("r" + c + "-" + k), settings, StreamWatch.NONE,
            new Exchange.Done() {
              @Override
              public void headers() {}

              @Override
              public void ended(Exchange.Outcome o) {}
            });
        conn.begin(ex, null);
        ex.sent(ch);
        for (ByteBuf p : parts) {
          ch.writeInbound(p.retainedDuplicate());
        }
        if (!ex.ended()) {
          throw new IllegalStateException("the answer did not end");
        }
        conn.release();
        chunks += TOKENS;
      }
      ch.finishAndReleaseAll();
    }
    double ns = (System.nanoTime() - t0) / (double) chunks;
    for (ByteBuf p : parts) {
      p.release();
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("requests_timed", chunks / TOKENS);
    r.put("us_per_chunk", ns / 1000);
    return r;
  }
}
