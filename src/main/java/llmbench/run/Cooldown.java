package llmbench.run;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import llmbench.server.ServerClient;
import llmbench.telemetry.PromText;
import llmbench.telemetry.ServerSeries;

/**
 * The rest between two runs of a repeated profile: the given seconds, then (when the server publishes
 * its queue on {@code /metrics}) until nothing is running or waiting there, at most {@link #DRAIN_LIMIT}
 * more, so that no run starts on the previous one's leftovers. Nothing is sent but {@code GET /metrics}.
 */
final class Cooldown {
  static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(2);

  private Cooldown() {}

  /** Rests; one line says what it waited for and how it ended. */
  static void rest(Duration cooldown, ServerClient server, PrintStream console) throws InterruptedException {
    rest(cooldown, server, console, System::nanoTime);
  }

  static void rest(Duration cooldown, ServerClient server, PrintStream console, LongSupplier clock)
      throws InterruptedException {
    if (!cooldown.isZero()) {
      console.println("cooldown: " + cooldown.toSeconds() + " s before the next run");
      Thread.sleep(cooldown.toMillis());
    }
    long deadline = clock.getAsLong() + DRAIN_LIMIT.toNanos();
    Double busy = inFlight(server);
    if (busy == null || busy == 0) {
      return; // no queue published (or already drained): the rest was the seconds given
    }
    console.println("cooldown: waiting until the server's /metrics shows nothing running or waiting (now "
        + Math.round(busy) + ", at most " + DRAIN_LIMIT.toSeconds() + " s)");
    while (busy != null && busy > 0) {
      if (clock.getAsLong() >= deadline) {
        console.println("cooldown: still " + Math.round(busy) + " running or waiting after "
            + DRAIN_LIMIT.toSeconds() + " s: the next run starts anyway, and its results may carry this load");
        return;
      }
      Thread.sleep(POLL.toMillis());
      busy = inFlight(server);
    }
  }

  /** Running plus waiting on the server's /metrics; null when it publishes neither (or does not answer). */
  static Double inFlight(ServerClient server) {
    ServerClient.Answer a = server.getText("/metrics", SCRAPE_TIMEOUT);
    if (a.status() != 200) {
      return null;
    }
    List<PromText.Sample> samples;
    try {
      samples = PromText.parse(a.body());
    } catch (PromText.FormatError e) {
      return null;
    }
    Map<String, Double> s = ServerSeries.of(samples);
    if (!s.containsKey(ServerSeries.RUNNING) && !s.containsKey(ServerSeries.WAITING)) {
      return null;
    }
    return s.getOrDefault(ServerSeries.RUNNING, 0.0) + s.getOrDefault(ServerSeries.WAITING, 0.0);
  }
}
