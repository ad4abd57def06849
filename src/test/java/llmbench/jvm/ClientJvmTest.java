package llmbench.jvm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The client's JVM flags are written in three places; they must say the same. */
class ClientJvmTest {
  @Test
  void scriptsMavenAndTheBenchmarksUseTheSameFlags() throws IOException {
    String scripts = Files.readString(Path.of("bin", "classpath.sh"));
    String clientLine = scripts.lines().filter(l -> l.startsWith("LLMBENCH_CLIENT_OPTS=")).findFirst().orElseThrow();
    String pom = Files.readString(Path.of("pom.xml"));
    for (String flag : ClientJvm.OPTIONS) {
      assertTrue(clientLine.contains(flag), "bin/classpath.sh lacks " + flag);
      assertTrue(pom.contains("<jvmArg>" + flag + "</jvmArg>"), "the Gatling plugin's jvmArgs lack " + flag);
      assertTrue(pom.matches("(?s).*<client\\.jvm>[^<]*" + java.util.regex.Pattern.quote(flag) + ".*"),
          "the failsafe argLine's client.jvm lacks " + flag);
    }
    for (String script : new String[] {"run_test.sh", "run_vision_test.sh"}) {
      assertTrue(Files.readString(Path.of(script)).contains("\"${LLMBENCH_CLIENT_OPTS[@]}\""), script);
    }
  }

  @Test
  void theFlagsAreOnesThisJvmAccepts() {
    // a flag this JDK does not know would stop every script at start-up
    for (String flag : ClientJvm.OPTIONS) {
      String name = flag.contains("=") ? flag.substring(4, flag.indexOf('=')) : flag.substring(5);
      assertTrue(java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .getVMOption(name) != null, name);
    }
  }
}
