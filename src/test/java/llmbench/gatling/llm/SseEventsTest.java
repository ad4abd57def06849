package llmbench.gatling.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventsTest {
  private static List<String> feed(String... reads) {
    SseEvents parser = new SseEvents();
    List<String> out = new ArrayList<>();
    for (String r : reads) {
      ByteBuf b = Unpooled.copiedBuffer(r, StandardCharsets.UTF_8);
      parser.feed(b, out::add);
      assertEquals(0, b.readableBytes(), "every byte consumed");
      b.release();
    }
    parser.release();
    return out;
  }

  @Test
  void eventsEndAtABlankLineWhateverTheReadsCutThrough() {
    String wire = "data: {\"a\":1}\n\ndata: {\"b\":\"é\"}\r\n\r\n: keep-alive comment\n\ndata: [DONE]\n\n";
    List<String> whole = feed(wire);
    assertEquals(List.of("{\"a\":1}", "{\"b\":\"é\"}", "[DONE]"), whole);
    // cut at every byte: the same events (the é's two bytes split too)
    byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
    SseEvents parser = new SseEvents();
    List<String> out = new ArrayList<>();
    for (byte x : bytes) {
      ByteBuf b = Unpooled.wrappedBuffer(new byte[] {x});
      parser.feed(b, out::add);
      b.release();
    }
    parser.release();
    assertEquals(whole, out);
  }

  @Test
  void dataLinesOfOneEventAreJoinedAndOtherFieldsSkipped() {
    assertEquals(List.of("one\ntwo", "x"), feed("event: message\nid: 7\ndata: one\ndata:two\n\n", "data:x\n", "\n"));
  }

  @Test
  void anEventWithoutItsBlankLineIsNotDelivered() {
    assertEquals(List.of(), feed("data: {\"cut\":"));
  }
}
