package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import llmbench.testutil.Jvm;
import org.junit.jupiter.api.Test;

/**
 * Gatling asks Maven Central for its latest release when a run starts; the client JVM's flags keep it
 * from connecting out (an offline GPU server) and from writing preferences into the user's home.
 * Each JVM below records every address Java's HTTP stack is asked to reach.
 */
class OfflineGatlingIT {
  /** In a fresh JVM: asks Gatling for its latest release, prints which addresses were asked for. */
  public static void main(String[] args) {
    List<URI> asked = new ArrayList<>();
    ProxySelector.setDefault(new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        asked.add(uri);
        return List.of(Proxy.NO_PROXY);
      }

      @Override
      public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
      }
    });
    Object latest = io.gatling.commons.util.GatlingVersion$.MODULE$.LatestRelease();
    System.out.println("prefs=" + java.util.prefs.Preferences.userRoot().getClass().getName() + " latest=" + latest
        + " asked=" + asked);
  }

  private static String run(List<String> flags, Path home) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Jvm.java(), "-Duser.home=" + home));
    cmd.addAll(flags);
    cmd.addAll(List.of("-cp", Jvm.classpath(), OfflineGatlingIT.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not end");
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void theClientJvmNeitherConnectsOutNorWritesPreferences() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path home = Files.createTempDirectory(work, "home");
    String ours = run(List.of("@bin/client-jvm.args"), home);
    assertTrue(ours.contains("prefs=llmbench.jvm.OfflinePreferences"), ours);
    assertTrue(ours.contains("latest=None asked=[]"), ours);
    assertTrue(!ours.contains("Created user preferences"), ours);
    try (var files = Files.walk(home)) {
      assertEquals(1, files.count(), "nothing written under the home folder");
    }
    // without them, the probe sees Gatling ask for Maven Central: the check above can fail
    Path other = Files.createTempDirectory(work, "home");
    String plain = run(List.of("-Djava.util.prefs.userRoot=" + other.resolve("prefs")), other);
    assertTrue(plain.contains("repo1.maven.org"), plain);
  }
}
