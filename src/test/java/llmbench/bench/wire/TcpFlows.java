package llmbench.bench.wire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * TCP reassembly for a capture of one server port: each connection's two byte streams in sequence
 * order, with the capture time of the segment that first carried each byte. Retransmitted bytes
 * keep their first time; a stream stops at a hole (a segment the capture dropped).
 */
public final class TcpFlows implements Consumer<Pcap.Segment> {
  private final int serverPort;
  private final Map<String, Connection> open = new HashMap<>();
  private final List<Connection> all = new ArrayList<>();

  public TcpFlows(int serverPort) {
    this.serverPort = serverPort;
  }

  /** One TCP connection to the server port. */
  public static final class Connection {
    public final String client;
    /** When the client's SYN was captured; -1 when the connection was open before the capture. */
    public final long synNs;
    final Direction toServer = new Direction();
    final Direction toClient = new Direction();
    long finOrRstNs = -1;
    boolean serverClosedFirst;

    Connection(String client, long synNs) {
      this.client = client;
      this.synNs = synNs;
    }

    public Timeline requestBytes() {
      return toServer.timeline();
    }

    public Timeline responseBytes() {
      return toClient.timeline();
    }

    /** True when the server sent the first FIN or RST (the client did not close it). */
    public boolean serverClosedFirst() {
      return serverClosedFirst;
    }
  }

  private static final class Direction {
    long base = -1; // sequence number of the first data byte
    final TreeMap<Long, Pcap.Segment> segments = new TreeMap<>();

    void add(Pcap.Segment s) {
      if (s.syn()) {
        base = (s.seq() + 1) & 0xffffffffL;
      }
      if (s.payload().length == 0) {
        return;
      }
      if (base < 0) {
        base = s.seq();
      }
      long rel = (s.seq() - base) & 0xffffffffL;
      if (rel > Integer.MAX_VALUE) {
        return; // before the first byte we know of
      }
      segments.merge(rel, s, (a, b) -> a.payload().length >= b.payload().length ? a : b);
    }

    Timeline timeline() {
      Timeline t = new Timeline();
      long next = 0;
      for (Map.Entry<Long, Pcap.Segment> e : segments.entrySet()) {
        long at = e.getKey();
        byte[] p = e.getValue().payload();
        if (at > next) {
          break; // a dropped segment (tcpdump counts them): what follows cannot be placed
        }
        int skip = (int) (next - at);
        if (skip >= p.length) {
          continue; // a retransmission of bytes already placed
        }
        t.append(p, skip, e.getValue().tsNs());
        next = at + p.length;
      }
      return t;
    }
  }

  @Override
  public void accept(Pcap.Segment s) {
    boolean toServer = s.dstPort() == serverPort;
    if (!toServer && s.srcPort() != serverPort) {
      return;
    }
    String client = toServer ? s.src() + ":" + s.srcPort() : s.dst() + ":" + s.dstPort();
    Connection c = open.get(client);
    boolean freshSyn = toServer && s.syn() && (s.flags() & 0x10) == 0;
    if (freshSyn && c != null && (c.finOrRstNs >= 0 || !c.toServer.segments.isEmpty())) {
      c = null; // the client port was reused for a new connection
    }
    if (c == null) {
      c = new Connection(client, freshSyn ? s.tsNs() : -1);
      open.put(client, c);
      all.add(c);
    }
    (toServer ? c.toServer : c.toClient).add(s);
    if ((s.fin() || s.rst()) && c.finOrRstNs < 0) {
      c.finOrRstNs = s.tsNs();
      c.serverClosedFirst = !toServer;
    }
  }

  /** Every connection seen, in the order they began. */
  public List<Connection> connections() {
    return all;
  }
}
