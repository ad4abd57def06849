package llmbench.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's JVM flags live in one file, which the scripts and Maven hand to java. */
class ClientJvmTest {
  static final Path ARGS = Path.of("bin", "client-jvm.args");

  static List<String> flags() throws IOException {
    return Files.readAllLines(ARGS).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  @Test
  void scriptsAndMavenReadTheOneFile() throws IOException {
    assertEquals(List.of("-XX:MaxInlineLevel=2", "-XX:FreqInlineSize=50", "-XX:InlineSmallCode=500", "-XX:+UseZGC",
        "-Dio.netty.leakDetection.level=disabled", "-Djava.util.prefs.PreferencesFactory=llmbench.jvm.OfflinePreferences"), flags());
    assertTrue(Files.readString(Path.of("bin", "classpath.sh")).contains("LLMBENCH_CLIENT_OPTS=(\"@$root/bin/client-jvm.args\")"));
    for (String script : new String[] {"run_test.sh", "run_vision_test.sh"}) {
      assertTrue(Files.readString(Path.of(script)).contains("\"${LLMBENCH_CLIENT_OPTS[@]}\""), script);
    }
    String pom = Files.readString(Path.of("pom.xml"));
    assertTrue(pom.contains("<client.jvm>@${project.basedir}/bin/client-jvm.args</client.jvm>"));
    assertTrue(pom.contains("<jvmArg>${client.jvm}</jvmArg>"), "mvn gatling:test");
    assertTrue(pom.matches("(?s).*<argLine>[^<]*\\$\\{client\\.jvm}[^<]*</argLine>.*"), "the integration tests");
    for (String flag : flags()) {
      assertFalse(pom.contains(flag), "pom.xml repeats " + flag);
    }
  }

  @Test
  void theFlagsAreOnesThisJvmAccepts() throws IOException {
    // a flag this JDK does not know would stop every script at start-up
    for (String flag : flags().stream().filter(f -> f.startsWith("-XX:")).toList()) {
      String name = flag.contains("=") ? flag.substring(4, flag.indexOf('=')) : flag.substring(5);
      assertTrue(ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .getVMOption(name) != null, name);
    }
  }
}
