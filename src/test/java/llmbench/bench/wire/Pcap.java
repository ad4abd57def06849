package llmbench.bench.wire;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads the TCP segments of a classic pcap file (tcpdump's {@code -w}): microsecond or nanosecond
 * stamps, either byte order; Ethernet (what {@code -i lo} writes), Linux cooked v1/v2 ({@code -i any}),
 * raw IP and BSD loopback links; IPv4 and IPv6. Stamps are the capture clock (CLOCK_REALTIME), in ns
 * since the epoch. Non-TCP packets are skipped.
 */
public final class Pcap {
  private static final int MAGIC_US = 0xa1b2c3d4;
  private static final int MAGIC_NS = 0xa1b23c4d;

  /** A TCP segment as captured: addresses as strings, flags as TCP's bits, the payload copied out. */
  public record Segment(long tsNs, String src, int srcPort, String dst, int dstPort, long seq, int flags,
      byte[] payload) {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;

    public boolean syn() {
      return (flags & SYN) != 0;
    }

    public boolean fin() {
      return (flags & FIN) != 0;
    }

    public boolean rst() {
      return (flags & RST) != 0;
    }
  }

  private Pcap() {}

  public static void read(Path file, Consumer<Segment> sink) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      read(in, sink);
    }
  }

  public static void read(InputStream raw, Consumer<Segment> sink) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    byte[] header = new byte[24];
    in.readFully(header);
    ByteBuffer h = ByteBuffer.wrap(header);
    int magic = h.getInt(0);
    if (magic != MAGIC_US && magic != MAGIC_NS) {
      h.order(ByteOrder.LITTLE_ENDIAN);
      magic = h.getInt(0);
    }
    if (magic != MAGIC_US && magic != MAGIC_NS) {
      throw new IOException("not a pcap file (pcapng is not read: capture with tcpdump -w, which writes pcap)");
    }
    boolean nanos = magic == MAGIC_NS;
    int linkType = h.getInt(20) & 0x0fffffff;
    ByteOrder order = h.order();
    byte[] rh = new byte[16];
    while (true) {
      try {
        in.readFully(rh);
      } catch (EOFException end) {
        return;
      }
      ByteBuffer r = ByteBuffer.wrap(rh).order(order);
      long sec = r.getInt(0) & 0xffffffffL;
      long frac = r.getInt(4) & 0xffffffffL;
      int captured = r.getInt(8);
      if (captured < 0 || captured > 1 << 24) {
        throw new IOException("corrupt pcap record (captured length " + captured + ")");
      }
      byte[] packet = new byte[captured];
      try {
        in.readFully(packet);
      } catch (EOFException truncated) {
        return; // tcpdump killed mid-write: the last record is incomplete
      }
      long ts = sec * 1_000_000_000L + (nanos ? frac : frac * 1000);
      Segment s = decode(ts, linkType, packet);
      if (s != null) {
        sink.accept(s);
      }
    }
  }

  static Segment decode(long ts, int linkType, byte[] p) {
    ByteBuffer b = ByteBuffer.wrap(p); // network order
    int ip;
    switch (linkType) {
      case 1 -> { // Ethernet
        if (p.length < 14) {
          return null;
        }
        int off = 12;
        int type = b.getShort(off) & 0xffff;
        while (type == 0x8100 || type == 0x88a8) { // VLAN tags
          off += 4;
          type = b.getShort(off) & 0xffff;
        }
        if (type != 0x0800 && type != 0x86dd) {
          return null;
        }
        ip = off + 2;
      }
      case 113 -> ip = 16; // Linux cooked v1
      case 276 -> ip = 20; // Linux cooked v2
      case 0 -> ip = 4; // BSD loopback
      case 101, 12, 14 -> ip = 0; // raw IP
      default -> {
        return null;
      }
    }
    if (p.length < ip + 20) {
      return null;
    }
    int version = (p[ip] >> 4) & 0xf;
    int tcp;
    int end;
    String src;
    String dst;
    if (version == 4) {
      int ihl = (p[ip] & 0xf) * 4;
      if (p[ip + 9] != 6) {
        return null;
      }
      int total = b.getShort(ip + 2) & 0xffff;
      end = Math.min(p.length, ip + total); // Ethernet may pad short frames
      src = v4(p, ip + 12);
      dst = v4(p, ip + 16);
      tcp = ip + ihl;
    } else if (version == 6) {
      if (p[ip + 6] != 6) {
        return null; // extension headers: not on loopback captures
      }
      end = Math.min(p.length, ip + 40 + (b.getShort(ip + 4) & 0xffff));
      src = v6(p, ip + 8);
      dst = v6(p, ip + 24);
      tcp = ip + 40;
    } else {
      return null;
    }
    if (end < tcp + 20) {
      return null;
    }
    int srcPort = b.getShort(tcp) & 0xffff;
    int dstPort = b.getShort(tcp + 2) & 0xffff;
    long seq = b.getInt(tcp + 4) & 0xffffffffL;
    int dataOff = ((p[tcp + 12] >> 4) & 0xf) * 4;
    int flags = p[tcp + 13] & 0x3f;
    int from = Math.min(end, tcp + dataOff);
    byte[] payload = java.util.Arrays.copyOfRange(p, from, end);
    return new Segment(ts, src, srcPort, dst, dstPort, seq, flags, payload);
  }

  private static String v4(byte[] p, int o) {
    return (p[o] & 0xff) + "." + (p[o + 1] & 0xff) + "." + (p[o + 2] & 0xff) + "." + (p[o + 3] & 0xff);
  }

  private static String v6(byte[] p, int o) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) {
        s.append(':');
      }
      s.append(Integer.toHexString(((p[o + i] & 0xff) << 8) | (p[o + i + 1] & 0xff)));
    }
    return s.toString();
  }
}
