package llmbench.gatling.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import llmbench.trace.FailureKinds;
import llmbench.trace.StreamRecorder;
import org.junit.jupiter.api.Test;

/** One answer on an in-memory channel: the silence between chunks is counted from the last read. */
class ExchangeTest {
  private static final String HEAD = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
      + "transfer-encoding: chunked\r\n\r\n";

  private static String chunk(String sse) {
    byte[] b = sse.getBytes(StandardCharsets.UTF_8);
    return Integer.toHexString(b.length) + "\r\n" + sse + "\r\n";
  }

  private static final class Ended implements Exchange.Done {
    Exchange.Outcome outcome;

    @Override
    public void headers() {}

    @Override
    public void ended(Exchange.Outcome o) {
      outcome = o;
    }
  }

  private static void read(EmbeddedChannel ch, String wire) {
    ch.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.UTF_8));
  }

  @Test
  void aStreamThatKeepsSendingIsNeverCutAndOneThatFallsSilentIsCutAfterTheLimit() throws Exception {
    long limitMs = 400;
    LlmSettings settings = LlmSettings.of("http://127.0.0.1:1", null, true, 60_000).withTimeouts(60_000, limitMs);
    LlmClient client = new LlmClient(settings);
    UserConnection conn = new UserConnection();
    EmbeddedChannel ch = new EmbeddedChannel();
    client.pipeline(ch, conn);
    conn.attach(ch);
    Ended done = new Ended();
    StreamRecorder rec = new StreamRecorder("r1");
    Exchange ex = new Exchange(rec, settings, StreamWatch.NONE, done);
    conn.begin(ex, null);
    ex.sent(ch);
    read(ch, HEAD);
    long start = System.nanoTime();
    // chunks every 100 ms for 1.2 s: three times the limit in all, never 400 ms apart
    long lastRead = 0;
    for (int i = 0; i < 12; i++) {
      Thread.sleep(100);
      lastRead = System.nanoTime(); // before the read: the chunk's stamp, which the limit counts from, is later
      read(ch, chunk("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"text\":\" t" + i
          + "\",\"finish_reason\":null}]}\n\n"));
      ch.runPendingTasks();
      assertNull(done.outcome, () -> "cut after " + (System.nanoTime() - start) / 1_000_000 + " ms of steady chunks");
    }
    while (done.outcome == null && System.nanoTime() - lastRead < 3 * limitMs * 1_000_000L) {
      Thread.sleep(10);
      ch.runPendingTasks();
    }
    long silentMs = (System.nanoTime() - lastRead) / 1_000_000;
    assertEquals(FailureKinds.timeout(limitMs / 1000.0), done.outcome.error());
    assertTrue(silentMs >= limitMs && silentMs < limitMs + 200, "cut after " + silentMs + " ms of silence");
    assertEquals(12, rec.toRecord("", "", 1, 0, 0, null).chunkNs().length);
    ch.finishAndReleaseAll();
  }
}
