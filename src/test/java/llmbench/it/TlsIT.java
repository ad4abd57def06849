package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import llmbench.cli.Cli;
import llmbench.cli.SweepCommand;
import llmbench.gatling.sweep.GatlingLauncher;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.testutil.Sweeps;
import org.junit.jupiter.api.Test;

/**
 * An https mock with a certificate made here (the JDK's keytool): the run refuses it in one line that
 * names the certificate's problem, and measures it with {@code --ca-cert} (the certificate's own PEM)
 * or {@code --insecure}; a certificate for another host is refused even with its CA given.
 */
class TlsIT {
  private static final String PASSWORD = "changeit";

  /** A self-signed key and certificate for {@code names} (keytool's SAN syntax): the key store and the PEM. */
  private static Path[] certificate(Path dir, String name, String san) throws Exception {
    Path store = dir.resolve(name + ".p12");
    Path pem = dir.resolve(name + ".pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(List.of(keytool, "-genkeypair", "-alias", "mock", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
        "CN=" + name, "-ext", "SAN=" + san, "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", PASSWORD, "-keypass", PASSWORD));
    run(List.of(keytool, "-exportcert", "-rfc", "-alias", "mock", "-keystore", store.toString(), "-storepass", PASSWORD,
        "-file", pem.toString()));
    return new Path[] {store, pem};
  }

  private static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
  }

  /** run_test.sh's status and its stderr. */
  private static Object[] sweep(Path work, List<String> args) {
    List<String> a = new ArrayList<>(args);
    a.addAll(List.of("--profiles", "low", "--levels", "1", "--rounds", "2", "--output-len", "10", "--no-client-warmup",
        "--out", work.resolve("out-" + System.nanoTime()).toString(), "--gatling-results", work.resolve("gatling").toString(),
        "--nvidia-smi", "/nonexistent"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int status = Cli.run(new SweepCommand(GatlingLauncher::run, false), a.toArray(String[]::new));
      return new Object[] {status, err.toString(StandardCharsets.UTF_8).strip()};
    } finally {
      System.setErr(before);
    }
  }

  @Test
  void anHttpsServerIsTrustedOnlyAsTheRunSays() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "tls");
    Path[] mine = certificate(work, "localhost", "dns:localhost,ip:127.0.0.1");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).tls(mine[0], PASSWORD).build())) {
      String url = mock.baseUrl();
      assertTrue(url.startsWith("https://127.0.0.1:"), url);

      Object[] plain = sweep(work, List.of("--url", url));
      assertEquals(1, plain[0]);
      assertEquals("error: the server at " + url + " is not trusted: its certificate is not signed by a CA this run "
          + "trusts: give --ca-cert FILE with the CA that signed it (PEM), or --insecure to skip the check", plain[1]);
      assertEquals(0, mock.requests("/v1/completions"), "nothing was sent to an untrusted server");

      assertEquals(0, sweep(work, List.of("--url", url, "--ca-cert", mine[1].toString()))[0]);
      long afterCa = mock.requests("/v1/completions");
      assertTrue(afterCa >= 3, "the preflight, the warm-up and the level's 2 requests went over TLS: " + afterCa);
      assertEquals(0, sweep(work, List.of("--url", url, "--insecure"))[0]);
      assertTrue(mock.requests("/v1/completions") >= 2 * afterCa);
    }

    // a certificate that names another host: its CA given, still refused
    Path[] other = certificate(work, "other", "dns:other.example");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).timeScale(0.2).tls(other[0], PASSWORD).build())) {
      Object[] wrongHost = sweep(work, List.of("--url", mock.baseUrl(), "--ca-cert", other[1].toString()));
      assertEquals(1, wrongHost[0]);
      String line = (String) wrongHost[1];
      assertTrue(line.startsWith("error: the server at " + mock.baseUrl() + " is not trusted: its certificate does not "
          + "name the host it was reached at ("), line);
      assertEquals(1, line.lines().count(), line);
      assertEquals(0, sweep(work, List.of("--url", mock.baseUrl(), "--insecure"))[0], "--insecure checks no host either");
    }
  }

  @Test
  void badTlsOptionsAreOneLineBeforeAnythingIsArchived() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "it"));
    Path text = Files.writeString(Files.createTempFile(dir, "not-a-cert", ".pem"), "hello");
    Path pem = certificate(Files.createTempDirectory(dir, "tlsbad"), "localhost", "dns:localhost")[1];
    Sweeps.refusedBeforeAnything("badtls", List.of(), Map.of(
        List.of("--url", "https://127.0.0.1:9", "--ca-cert", "/nonexistent.pem"),
        "error: --ca-cert /nonexistent.pem: no such file",
        List.of("--url", "https://127.0.0.1:9", "--ca-cert", text.toString()),
        "error: --ca-cert " + text + ": not a certificate (PEM or DER): No certificate data found",
        List.of("--url", "https://127.0.0.1:9", "--ca-cert", pem.toString(), "--insecure"),
        "error: --ca-cert trusts one CA, --insecure trusts any certificate: give one of them",
        List.of("--url", "http://127.0.0.1:9", "--insecure"),
        "error: --insecure applies to an https:// server, not http://127.0.0.1:9",
        List.of("--mock", "--ca-cert", pem.toString()),
        "error: --ca-cert applies to an https:// server, not the built-in mock"));
  }
}
