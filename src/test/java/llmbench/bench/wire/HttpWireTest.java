package llmbench.bench.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The wire reader on captures whose every byte and stamp the test chose: TCP reassembly (split
 * events, a retransmission, segments out of order), HTTP chunked bodies, SSE line endings and
 * comments, keep-alive, a server's FIN; and on a real capture of llama.cpp's server when ../shared has it.
 */
class HttpWireTest {
  private static final long T = 1_800_000_000_000_000_000L; // an epoch in ns, as tcpdump writes
  private static final int SERVER = 8000;
  private static final int SYN = 0x02;
  private static final int SYN_ACK = 0x12;
  private static final int FIN_ACK = 0x11;

  private static String chunk(String s) {
    return Integer.toHexString(s.length()) + "\r\n" + s + "\r\n";
  }

  private static Map<String, HttpWire.Exchange> read(byte[] pcap) throws IOException {
    TcpFlows flows = new TcpFlows(SERVER);
    Pcap.read(new ByteArrayInputStream(pcap), flows);
    return HttpWire.exchanges(flows.connections()).stream()
        .collect(Collectors.toMap(HttpWire.Exchange::requestId, Function.identity()));
  }

  @Test
  void reassemblesStreamsAndStampsEachEventWhenItsLastByteCouldBeRead() throws IOException {
    String r1 = "POST /v1/completions HTTP/1.1\r\nHost: x\r\nX-Request-Id: req-a\r\nContent-Length: 2\r\n";
    String r2 = "\r\n{}";
    String head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
    String e1 = chunk("data: {\"choices\":[{\"text\":\"a\"}]}\n\n");
    String e2 = chunk("data: {\"choices\":[{\"text\":\"b\"}]}\r\n\r\n");
    String e3 = chunk(": keep-alive\n\ndata: {\"choices\":[{\"text\":\"c\"}]}\n\n");
    String end = chunk("data: {\"choices\":[],\"usage\":{\"completion_tokens\":3}}\n\ndata: [DONE]\n\n") + "0\r\n\r\n";
    long s = 5000; // the server's first data byte
    long e2At = s + head.length() + e1.length();
    long e3At = e2At + e2.length();
    byte[] pcap = new PcapWriter()
        .segment(T + 1000, 40001, SERVER, 999, SYN, "")
        .segment(T + 1001, SERVER, 40001, 4999, SYN_ACK, "")
        .segment(T + 1002, 40001, SERVER, 1000, 0x18, r1)
        .segment(T + 1003, 40001, SERVER, 1000 + r1.length(), 0x18, r2)
        .segment(T + 2000, SERVER, 40001, s, 0x18, head)
        .segment(T + 3000, SERVER, 40001, s + head.length(), 0x18, e1)
        .segment(T + 4000, SERVER, 40001, e2At, 0x18, e2.substring(0, 10))
        .segment(T + 4500, SERVER, 40001, e2At + 10, 0x18, e2.substring(10))
        .segment(T + 4600, SERVER, 40001, e2At + 10, 0x18, e2.substring(10)) // retransmission
        .segment(T + 5100, SERVER, 40001, e3At + 12, 0x18, e3.substring(12)) // overtakes the next
        .segment(T + 5200, SERVER, 40001, e3At, 0x18, e3.substring(0, 12))
        .segment(T + 6000, SERVER, 40001, e3At + e3.length(), 0x18, end)
        .bytes();
    HttpWire.Exchange a = read(pcap).get("req-a");
    assertEquals(200, a.status());
    assertTrue(a.newConnection());
    assertEquals(T + 1000, a.synNs());
    assertEquals(T + 1002, a.requestFirstNs());
    assertEquals(T + 1003, a.requestLastNs());
    assertEquals(T + 2000, a.headersNs());
    // e2 is readable when its second half arrives (not at the retransmission); e3 when its first part does
    assertArrayEquals(new long[] {T + 3000, T + 4500, T + 5200}, a.choiceNs());
    assertEquals(T + 6000, a.doneNs());
    assertFalse(a.serverClosed());
  }

  @Test
  void keepAliveErrorsAndAServerThatClosesAfterTheStream() throws IOException {
    String rb = "POST /v1/completions HTTP/1.1\r\nX-Request-Id: req-b\r\nContent-Length: 0\r\n\r\n";
    String body = "{\"error\":\"nope\"}";
    String resB = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length() + "\r\n\r\n" + body;
    String rc = "POST /v1/completions HTTP/1.1\r\nx-request-id: req-c\r\nContent-Length: 0\r\n\r\n";
    String resC = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
        + chunk("data: {\"choices\":[{\"text\":\"x\"}]}\n\ndata: [DONE]\n\n") + "0\r\n\r\n";
    byte[] pcap = new PcapWriter() // opened before the capture: no SYN
        .segment(T + 1500, 40002, SERVER, 7000, 0x18, rb)
        .segment(T + 2500, SERVER, 40002, 9000, 0x18, resB)
        .segment(T + 7000, 40002, SERVER, 7000 + rb.length(), 0x18, rc)
        .segment(T + 8000, SERVER, 40002, 9000 + resB.length(), 0x18, resC)
        .segment(T + 8100, SERVER, 40002, 9000 + resB.length() + resC.length(), FIN_ACK, "")
        .bytes();
    Map<String, HttpWire.Exchange> byId = read(pcap);
    HttpWire.Exchange b = byId.get("req-b");
    assertEquals(400, b.status());
    assertEquals(body, b.body());
    assertEquals(0, b.choiceNs().length);
    assertFalse(b.newConnection());
    assertFalse(b.serverClosed());
    HttpWire.Exchange c = byId.get("req-c");
    assertEquals(T + 7000, c.requestFirstNs());
    assertArrayEquals(new long[] {T + 8000}, c.choiceNs());
    assertTrue(c.serverClosed());
  }

  @Test
  void aRealCaptureOfLlamaCppsServer() throws IOException {
    Path pcap = Path.of("..", "shared", "fixtures", "llamacpp", "two-streams.pcap");
    Assumptions.assumeTrue(Files.isRegularFile(pcap), "../shared is not beside the checkout");
    TcpFlows flows = new TcpFlows(18080);
    Pcap.read(pcap, flows);
    List<HttpWire.Exchange> all = HttpWire.exchanges(flows.connections());
    assertEquals(List.of("fixture-1", "fixture-2"), all.stream().map(HttpWire.Exchange::requestId).sorted().toList());
    for (HttpWire.Exchange e : all) {
      assertEquals(200, e.status());
      assertTrue(e.newConnection());
      // 20 tokens and llama.cpp's finish chunk, which still carries choices (the fixture's README)
      assertEquals(21, e.choiceNs().length, e.requestId());
      assertTrue(e.serverClosed(), "llama.cpp closes streamed connections");
      assertTrue(e.requestFirstNs() > e.synNs() && e.choiceNs()[0] > e.headersNs() && e.doneNs() >= e.choiceNs()[20]);
    }
  }
}
