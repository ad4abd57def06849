package llmbench.telemetry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import llmbench.server.ServerClient;
import org.apache.commons.csv.CSVPrinter;

/**
 * Scrapes the server's {@code /metrics} on a thread of its own, once per interval, and once more at
 * each level's start and end on the caller's thread (so that counters and histograms are cut exactly
 * at the level's edges: the start scrape is taken before the level's first request is sent, the end
 * scrape after its last response), and appends our series to a CSV file as it goes:
 * {@code epoch_ms,level,event,metric,value}. One GET per interval is all it costs the server. A
 * server without {@code /metrics} gets one line, a failing scrape one line the first time; neither
 * ever stops the run.
 */
public final class MetricsScraper implements AutoCloseable {
  public static final String FILE_NAME = "server_metrics.csv";
  static final String[] HEADER = {"epoch_ms", "level", "event", "metric", "value"};

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final ServerClient server;
  private final int intervalMs;
  private final Path file;
  private final PrintStream console;
  private final Thread thread;
  private final Object lock = new Object();
  private volatile boolean stopped;
  private volatile String engine;
  private volatile String unavailable;
  private volatile int failures;
  private CSVPrinter csv; // guarded by lock, like level and scrapes
  /** Every scrape so far, also in memory: a level's block reads them without reading the file back. */
  private final List<TelemetryCsv.Scrape> scrapes = new java.util.ArrayList<>();
  private String level = "";

  /** @param intervalMs 0 turns it off: nothing is scraped and no file is written */
  public MetricsScraper(ServerClient server, int intervalMs, Path file, PrintStream console) {
    this.server = server;
    this.intervalMs = intervalMs;
    this.file = file;
    this.console = console;
    this.thread = new Thread(this::run, "llmbench-metrics");
    thread.setDaemon(true);
  }

  public MetricsScraper start() {
    if (intervalMs <= 0) {
      unavailable = "server metrics off (--metrics-interval-ms 0)";
      stopped = true;
      return this;
    }
    try {
      csv = new CSVPrinter(Files.newBufferedWriter(file), TelemetryCsv.FORMAT);
      csv.printRecord((Object[]) HEADER);
      csv.flush();
    } catch (IOException e) {
      console.println("warning: server metrics not recorded: cannot write " + file + ": " + e.getMessage());
      stopped = true;
      return this;
    }
    thread.start();
    return this;
  }

  /**
   * A scrape now, on this thread, labelled with the level and {@code start} or {@code end}; ticks
   * after a start carry the level's label until its end. At most {@link #TIMEOUT} long.
   */
  public void scrapeNow(String levelLabel, String event) {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      if (event.equals("start")) {
        level = levelLabel;
      }
      scrape(levelLabel, event);
      if (event.equals("end")) {
        level = "";
      }
    }
  }

  /** vllm, sglang, llamacpp or tgi once known; else null. */
  public String engine() {
    return engine;
  }

  /** Why nothing was recorded, or null. */
  public String unavailable() {
    return unavailable;
  }

  public int failures() {
    return failures;
  }

  /** The scrapes so far, in the order taken (as the file holds them). */
  public List<TelemetryCsv.Scrape> scrapes() {
    synchronized (lock) {
      return List.copyOf(scrapes);
    }
  }

  private void run() {
    long next = System.currentTimeMillis();
    while (!stopped) {
      long wait = next - System.currentTimeMillis();
      if (wait > 0) {
        LockSupport.parkNanos(wait * 1_000_000L);
        continue; // woken early (close) or on time: check again
      }
      next += intervalMs;
      if (next < System.currentTimeMillis()) {
        next = System.currentTimeMillis() + intervalMs; // after a stall, no burst of catch-up scrapes
      }
      synchronized (lock) {
        if (!stopped) {
          scrape(level, "tick");
        }
      }
    }
  }

  /** Under the lock. A server with no metrics we know is asked nothing more. */
  private void scrape(String levelLabel, String event) {
    long t = System.currentTimeMillis();
    ServerClient.Answer a = server.getText("/metrics", TIMEOUT);
    List<PromText.Sample> samples = null;
    String why = null;
    if (a.status() != 200) {
      why = a.status() == 0 ? a.body() : "HTTP " + a.status();
    } else {
      try {
        samples = PromText.parse(a.body());
      } catch (PromText.FormatError e) {
        why = e.getMessage();
      }
    }
    Map<String, Double> series = samples == null ? Map.of() : ServerSeries.of(samples);
    if (engine == null) {
      if (why == null && series.isEmpty()) {
        why = "none of the vLLM, SGLang, llama.cpp or TGI metric families";
      }
      if (why != null) {
        unavailable = "the server's /metrics gave no telemetry (" + why + "): no server timeline is recorded";
        console.println(unavailable);
        stopped = true;
        return;
      }
      engine = ServerSeries.engine(samples);
    }
    if (why != null || series.isEmpty()) {
      if (failures++ == 0) {
        console.println("warning: a /metrics scrape failed (" + (why != null ? why : "no known series")
            + "); the run goes on and the timeline has a gap");
      }
      return;
    }
    scrapes.add(new TelemetryCsv.Scrape(t, levelLabel, event, series));
    try {
      for (Map.Entry<String, Double> e : series.entrySet()) {
        csv.printRecord(t, levelLabel, event, e.getKey(), e.getValue());
      }
      csv.flush();
    } catch (IOException e) {
      console.println("warning: server metrics stopped: cannot write " + file + ": " + e.getMessage());
      stopped = true;
    }
  }

  /** Stops the scraping and closes the file (what was scraped is in it). */
  @Override
  public void close() {
    synchronized (lock) {
      stopped = true;
      if (csv != null) {
        try {
          csv.close();
        } catch (IOException e) {
          console.println("warning: closing " + file + ": " + e.getMessage());
        }
        csv = null;
      }
    }
    LockSupport.unpark(thread);
  }
}
