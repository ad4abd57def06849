package llmbench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fake /proc: vLLM's API server (pid 100) whose EngineCore child (pid 200) holds the socket. */
class LaunchCommandTest {
  @TempDir
  Path proc;

  void process(int pid, int ppid, String name, String... args) throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
    Files.write(dir.resolve("cmdline"), (String.join("\0", args) + "\0").getBytes());
    Files.writeString(dir.resolve("stat"), pid + " (" + name + ") S " + ppid + " 1 1 0 -1");
    Files.createDirectories(dir.resolve("fd"));
  }

  @Test
  void walksUpFromTheListenerToVllmServeAndRedacts() throws IOException {
    Files.createDirectories(proc.resolve("net"));
    Files.writeString(proc.resolve("net/tcp"), String.join("\n",
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
        "   0: 00000000:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 424242 1 0000000000000000 100 0 0 10 0",
        "   1: 0100007F:1F41 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 515151 1 0000000000000000 100 0 0 10 0"));
    process(100, 1, "vllm", "/usr/bin/python3", "/usr/bin/vllm", "serve", "meta-llama/Llama-3-8B",
        "--port", "8000", "--api-key", "sk-secretsecretsecret");
    process(200, 100, "VLLM::EngineCore", "VLLM::EngineCore");
    Files.createSymbolicLink(proc.resolve("200/fd/7"), Path.of("socket:[424242]"));
    LaunchCommand.Found f = new LaunchCommand(proc).find(8000).orElseThrow();
    assertEquals(100, f.pid());
    assertEquals(List.of("/usr/bin/python3", "/usr/bin/vllm", "serve", "meta-llama/Llama-3-8B", "--port",
        "8000", "--api-key", "<redacted>"), f.args());
    assertTrue(f.how().contains("parent of 200"));
    assertTrue(new LaunchCommand(proc).find(9999).isEmpty());
  }

  @Test
  void readsListeningSocketsOnly() {
    List<String> lines = List.of("header",
        "   0: 00000000:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 11 1",
        "   1: 0100007F:1F40 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 22 1");
    assertEquals(List.of(11L), LaunchCommand.listeningInodes(lines, 8000));
  }
}
