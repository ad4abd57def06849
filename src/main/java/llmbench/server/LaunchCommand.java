package llmbench.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The inference server's command line when it runs on this host: the process listening on the port
 * (from /proc/net/tcp*), then up its parents to the {@code vllm serve} / api_server process (vLLM
 * renames its workers {@code VLLM::EngineCore}). Linux only; elsewhere it says it cannot tell.
 */
public final class LaunchCommand {
  public record Found(int pid, List<String> args, String how) {}

  private final Path proc;

  public LaunchCommand(Path proc) {
    this.proc = proc;
  }

  public static LaunchCommand system() {
    return new LaunchCommand(Path.of("/proc"));
  }

  public Optional<Found> find(int port) throws IOException {
    if (!Files.isDirectory(proc.resolve("net"))) {
      return Optional.empty();
    }
    List<Long> inodes = new ArrayList<>();
    for (String table : new String[] {"net/tcp", "net/tcp6"}) {
      Path f = proc.resolve(table);
      if (Files.isRegularFile(f)) {
        inodes.addAll(listeningInodes(Files.readAllLines(f), port));
      }
    }
    if (inodes.isEmpty()) {
      return Optional.empty();
    }
    Integer pid = pidOwning(inodes);
    if (pid == null) {
      return Optional.empty();
    }
    int listener = pid;
    for (int p = pid, hops = 0; p > 1 && hops < 10; hops++) {
      List<String> args = cmdline(p);
      if (isServerCommand(args)) {
        return Optional.of(new Found(p, Redactor.commandLine(args), p == listener
            ? "process " + p + " listens on port " + port
            : "process " + p + " is the parent of " + listener + ", which listens on port " + port));
      }
      Integer parent = parent(p);
      if (parent == null) {
        break;
      }
      p = parent;
    }
    return Optional.of(new Found(listener, Redactor.commandLine(cmdline(listener)),
        "process " + listener + " listens on port " + port + " (no vllm serve / api_server parent found)"));
  }

  static boolean isServerCommand(List<String> args) {
    String joined = String.join(" ", args).toLowerCase(Locale.ROOT);
    return (joined.contains("vllm") && (joined.contains(" serve") || joined.contains("api_server")))
        || joined.contains("sglang.launch_server") || joined.contains("llama-server")
        || joined.contains("text-generation-launcher");
  }

  /** Socket inodes in LISTEN state (st 0A) on the port, from a /proc/net/tcp table. */
  static List<Long> listeningInodes(List<String> lines, int port) {
    List<Long> out = new ArrayList<>();
    String hexPort = String.format(":%04X", port);
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
        out.add(Long.parseLong(f[9]));
      }
    }
    return out;
  }

  private Integer pidOwning(List<Long> inodes) throws IOException {
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : pids) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(p.resolve("fd"))) {
          for (Path fd : fds) {
            String target = Files.readSymbolicLink(fd).toString();
            for (long inode : inodes) {
              if (target.equals("socket:[" + inode + "]")) {
                return Integer.parseInt(p.getFileName().toString());
              }
            }
          }
        } catch (IOException | SecurityException ignored) {
          // another user's process or one that just ended
        }
      }
    }
    return null;
  }

  List<String> cmdline(int pid) throws IOException {
    byte[] raw = Files.readAllBytes(proc.resolve(pid + "/cmdline"));
    String s = new String(raw, StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>(Arrays.asList(s.split("\0")));
    args.removeIf(String::isEmpty);
    return args;
  }

  private Integer parent(int pid) {
    try {
      String stat = Files.readString(proc.resolve(pid + "/stat"));
      String afterName = stat.substring(stat.lastIndexOf(')') + 2);
      return Integer.parseInt(afterName.split(" ")[1]);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
