package llmbench.distributed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import llmbench.config.ShardConfig;
import llmbench.trace.ShardTimes;

/**
 * Shard 0's side of the barrier: a small HTTP server on the coordinator port ({@code GET /time} for
 * the clock exchanges, {@code POST /arrive} that answers once every shard is there) and its own
 * arrivals in process. A level opens when every shard still in the sweep has arrived, or when the
 * barrier timeout has passed since the first arrival: the missing shards are then not waited for
 * again (one that comes back at a later level is). The start is set a little ahead
 * ({@link #START_MARGIN_NS}) so that every shard has its answer before it.
 */
final class Coordinator extends Barrier {
  static final long START_MARGIN_NS = 100_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a shard is told when a level opens: when to start, on shard 0's wall clock. */
  record Opened(long startWallNs, List<Integer> arrived, String sweepId, String problem, String told) {}

  private static final class Gate {
    final Set<Integer> arrived = new TreeSet<>();
    final Map<Integer, String> notes = new java.util.TreeMap<>();
    final long deadlineNs;
    Opened opened;

    Gate(long deadlineNs) {
      this.deadlineNs = deadlineNs;
    }
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final long timeoutNs;
  private final Set<Integer> live = new TreeSet<>();
  private final Map<String, Gate> gates = new HashMap<>();

  private Coordinator(ShardConfig c, long seed, HttpServer server, ExecutorService threads) {
    super(0, c.shard().count(), seed);
    this.server = server;
    this.threads = threads;
    this.timeoutNs = c.barrierTimeout().toNanos();
    this.sweepId = UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < count; i++) {
      live.add(i);
    }
  }

  static Coordinator start(ShardConfig c, long seed) {
    // The JDK's server leaves Nagle on unless told: its small answers then wait for the client's
    // delayed ACK, up to 40 ms one way, which a clock exchange reads as an offset of up to 20 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer s;
    try {
      s = HttpServer.create(new InetSocketAddress(c.coordinatorPort()), 64);
    } catch (IOException e) {
      throw new IllegalArgumentException("--coordinator: shard 0 cannot listen on port " + c.coordinatorPort() + ": "
          + e.getMessage());
    }
    ExecutorService threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "llmbench-barrier");
      t.setDaemon(true);
      return t;
    });
    Coordinator co = new Coordinator(c, seed, s, threads);
    s.createContext("/time", ex -> co.reply(ex, 200, Long.toString(co.wallNs())));
    s.createContext("/arrive", co::arrival);
    s.setExecutor(threads);
    s.start();
    System.out.println("shard 0/" + co.count + ": the barrier listens on port " + c.coordinatorPort());
    return co;
  }

  @Override
  public long arrive(String name, String note) {
    long t0 = System.nanoTime();
    Opened o = meet(name, 0, note);
    meetings.add(new ShardTimes.Meeting(name, 0, 0, (System.nanoTime() - t0) / 1_000_000, o.arrived(), o.problem()));
    if (o.problem() != null) {
      System.out.println("warning: " + name + ": " + o.problem());
    }
    return nanoAt(o.startWallNs());
  }

  /** Blocks until the gate {@code name} opens; at most the barrier timeout after its first arrival. */
  synchronized Opened meet(String name, int shard, String note) {
    Gate g = gates.computeIfAbsent(name, k -> new Gate(System.nanoTime() + timeoutNs));
    if (note != null) {
      g.notes.put(shard, note);
    }
    if (g.opened != null) {
      return new Opened(g.opened.startWallNs(), g.opened.arrived(), sweepId,
          "shard " + shard + " arrived after the level had started without it", g.opened.told());
    }
    g.arrived.add(shard);
    live.add(shard);
    while (g.opened == null) {
      if (g.arrived.containsAll(live)) {
        g.opened = new Opened(wallNs() + START_MARGIN_NS, List.copyOf(g.arrived), sweepId, null, g.notes.get(0));
        break;
      }
      long left = g.deadlineNs - System.nanoTime();
      if (left <= 0) {
        Set<Integer> missing = new TreeSet<>(live);
        missing.removeAll(g.arrived);
        live.removeAll(missing);
        g.opened = new Opened(wallNs() + START_MARGIN_NS, List.copyOf(g.arrived), sweepId, "shard"
            + (missing.size() == 1 ? " " : "s ") + missing + " of " + count + " did not arrive within "
            + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s: the sweep went on without "
            + (missing.size() == 1 ? "it" : "them") + " (partial)", g.notes.get(0));
        break;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted at the barrier " + name);
      }
    }
    notifyAll();
    return g.opened;
  }

  private void arrival(HttpExchange ex) throws IOException {
    Map<String, String> q = query(ex.getRequestURI().getRawQuery());
    try {
      int shard = Integer.parseInt(q.getOrDefault("shard", ""));
      String name = q.get("name");
      if (name == null || shard < 1 || shard >= count) {
        reply(ex, 400, "expected name=...&shard=1.." + (count - 1));
        return;
      }
      if (!Integer.toString(count).equals(q.get("count")) || !Long.toString(seed).equals(q.get("seed"))) {
        reply(ex, 409, "shard 0 runs " + count + " shards with seed " + seed + ", shard " + shard + " says "
            + q.get("count") + " shards with seed " + q.get("seed") + ": not one sweep");
        return;
      }
      reply(ex, 200, JSON.writeValueAsString(meet(name, shard, q.get("note"))));
    } catch (NumberFormatException e) {
      reply(ex, 400, "shard must be a number");
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> m = new HashMap<>();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          m.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return m;
  }

  private void reply(HttpExchange ex, int status, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    try (ex; OutputStream o = ex.getResponseBody()) {
      ex.sendResponseHeaders(status, b.length);
      o.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the shard went away: it asks again or is counted missing
    }
  }

  @Override
  public synchronized String told(String name) {
    Gate g = gates.get(name);
    return g == null ? null : g.notes.get(0);
  }

  @Override
  public synchronized Map<Integer, String> notes(String name) {
    Gate g = gates.get(name);
    return g == null ? Map.of() : Map.copyOf(g.notes);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
