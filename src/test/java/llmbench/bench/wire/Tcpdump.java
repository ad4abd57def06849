package llmbench.bench.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback capture of one TCP port with tcpdump (needs root or CAP_NET_RAW), written as pcap with
 * nanosecond stamps. The kernel buffer is large so that bursts of chunks are not dropped; drops are
 * counted from tcpdump's own report when it stops.
 */
public final class Tcpdump implements AutoCloseable {
  private final Process process;
  private final Path log;
  private long dropped = -1;

  private Tcpdump(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Why a capture cannot run here, or null when it can. */
  public static String unavailable() {
    try {
      Process p = new ProcessBuilder("tcpdump", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor() != 0) {
        return "tcpdump --version failed";
      }
    } catch (IOException e) {
      return "tcpdump is not installed (Debian: apt-get install -y tcpdump)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    return null;
  }

  public static Tcpdump start(String iface, int port, Path pcap) throws IOException, InterruptedException {
    Path log = pcap.resolveSibling(pcap.getFileName() + ".log");
    Process p = new ProcessBuilder(List.of("tcpdump", "-i", iface, "-n", "-s", "0", "-B", "65536",
        "--time-stamp-precision=nano", "-w", pcap.toString(), "tcp port " + port))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Tcpdump t = new Tcpdump(p, log);
    for (int i = 0; i < 200; i++) {
      if (Files.readString(log).contains("listening on")) {
        return t;
      }
      if (!p.isAlive()) {
        throw new IOException("tcpdump did not start: " + Files.readString(log).trim());
      }
      Thread.sleep(25);
    }
    p.destroy();
    throw new IOException("tcpdump did not start listening within 5 s: " + Files.readString(log).trim());
  }

  /** Packets the kernel dropped (tcpdump's count), -1 before {@link #close}. */
  public long dropped() {
    return dropped;
  }

  /**
   * Stops the capture. libpcap hands packets to tcpdump in blocks that the kernel retires up to 1 s
   * after their first packet, and a block not yet retired is lost on SIGTERM without being counted
   * as dropped: the last second of traffic would be missing (seen: a level's last responses). So it
   * first waits that out.
   */
  @Override
  public void close() throws IOException, InterruptedException {
    Thread.sleep(1_500);
    process.destroy(); // SIGTERM: tcpdump flushes the file and prints its counts
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    Matcher m = Pattern.compile("(\\d+) packets dropped by kernel").matcher(Files.readString(log));
    dropped = m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
