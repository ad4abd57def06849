package llmbench.bench.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a little-endian, nanosecond pcap of Ethernet/IPv4/TCP segments, as tcpdump does on
 * {@code lo}: test captures whose every stamp and byte the test chose.
 */
final class PcapWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  PcapWriter() {
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(1);
    out.writeBytes(h.array());
  }

  /** One segment from {@code srcPort} to {@code dstPort} on 127.0.0.1. */
  PcapWriter segment(long tsNs, int srcPort, int dstPort, long seq, int flags, String payload) {
    byte[] data = payload.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer p = ByteBuffer.allocate(14 + 20 + 20 + data.length); // network order
    p.put(new byte[12]).putShort((short) 0x0800);
    p.put((byte) 0x45).put((byte) 0).putShort((short) (40 + data.length)).putInt(0)
        .put((byte) 64).put((byte) 6).putShort((short) 0).put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});
    p.putShort((short) srcPort).putShort((short) dstPort).putInt((int) seq).putInt(0)
        .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putInt(0);
    p.put(data);
    ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    r.putInt((int) (tsNs / 1_000_000_000L)).putInt((int) (tsNs % 1_000_000_000L)).putInt(p.capacity()).putInt(p.capacity());
    out.writeBytes(r.array());
    out.writeBytes(p.array());
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}
