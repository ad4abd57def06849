package llmbench.distributed;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import llmbench.config.ShardConfig;
import llmbench.trace.ShardTimes;

/**
 * A shard other than 0 at the barrier: it measures shard 0's clock against its own (a few
 * {@code GET /time}, the one with the shortest round trip: offset = their time − the midpoint of
 * ours), then asks to start ({@code POST /arrive}) and turns shard 0's start time into its own
 * {@code nanoTime}. Shard 0 may not be up yet (pods start when they start): it is asked again
 * until the barrier timeout; past that the level starts at once, and the shard's record says so.
 */
final class Participant extends Barrier {
  private static final int EXCHANGES = 15;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private final Duration timeout;
  private final String who;
  private Offset best;
  private final java.util.Map<String, String> told = new java.util.concurrent.ConcurrentHashMap<>();

  Participant(ShardConfig c, long seed) {
    super(c.shard().index(), c.shard().count(), seed);
    this.base = "http://" + c.coordinatorHost() + ":" + c.coordinatorPort();
    this.timeout = c.barrierTimeout();
    this.who = "shard " + c.shard();
  }

  private record Offset(long offsetNs, long rttNs) {}

  @Override
  public long arrive(String name, String note) {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    Offset off = null;
    boolean said = false;
    while (off == null) {
      try {
        off = offset();
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          return alone(name, t0, "shard 0 was not reachable at " + base + " within " + timeout.toSeconds()
              + " s (" + e.getMessage() + "): the level started without the barrier");
        }
        if (!said && System.nanoTime() - t0 > 2_000_000_000L) {
          System.out.println(who + ": waiting for shard 0 at " + base + " (" + name + ", at most "
              + timeout.toSeconds() + " s)");
          said = true;
        }
        sleep(500);
      }
    }
    Coordinator.Opened o;
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/arrive?shard=" + index + "&count=" + count
              + "&seed=" + seed + "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
              + (note == null ? "" : "&note=" + URLEncoder.encode(note, StandardCharsets.UTF_8))))
          .timeout(timeout.plusSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return alone(name, t0, "shard 0 answered " + r.statusCode() + ": " + r.body());
      }
      o = JSON.readValue(r.body(), Coordinator.Opened.class);
    } catch (IOException e) {
      return alone(name, t0, "the barrier at " + base + " failed (" + e.getMessage() + "): the level started without it");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return alone(name, t0, "interrupted at the barrier");
    }
    sweepId = o.sweepId();
    if (o.told() != null) {
      told.put(name, o.told());
    }
    meetings.add(new ShardTimes.Meeting(name, off.offsetNs(), off.rttNs(), (System.nanoTime() - t0) / 1_000_000,
        o.arrived(), o.problem()));
    if (o.problem() != null) {
      System.out.println("warning: " + name + ": " + o.problem());
    }
    if (best == null || off.rttNs() < best.rttNs()) {
      best = off; // the best measure of the two clocks so far: the one with the shortest round trip
    }
    return nanoAt(o.startWallNs() - best.offsetNs());
  }

  @Override
  public String told(String name) {
    return told.get(name);
  }

  private long alone(String name, long t0, String problem) {
    System.out.println("warning: " + who + ", " + name + ": " + problem);
    meetings.add(new ShardTimes.Meeting(name, 0, -1, (System.nanoTime() - t0) / 1_000_000, List.of(index), problem));
    return 0;
  }

  /** Shard 0's wall clock minus ours, from the exchange with the shortest round trip. */
  private Offset offset() throws IOException {
    Offset best = null;
    for (int i = 0; i < EXCHANGES; i++) {
      long sent = wallNs();
      HttpResponse<String> r;
      try {
        r = http.send(HttpRequest.newBuilder(URI.create(base + "/time")).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
      long received = wallNs();
      long theirs;
      try {
        theirs = Long.parseLong(r.body().trim());
      } catch (NumberFormatException e) {
        throw new IOException(base + " is not shard 0's barrier (GET /time answered " + r.statusCode() + ")");
      }
      Offset o = new Offset(theirs - (sent + received) / 2, received - sent);
      if (best == null || o.rttNs() < best.rttNs()) {
        best = o;
      }
    }
    return best;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
