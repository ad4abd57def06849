package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The integration tests run Gatling in a JVM started as the scripts start the client: the file's flags reached it. */
class ClientJvmIT {
  @Test
  void thisJvmRunsWithTheClientFlags() {
    List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (String flag : List.of("-XX:MaxInlineLevel=2", "-XX:FreqInlineSize=50", "-XX:InlineSmallCode=500", "-XX:+UseZGC")) {
      assertTrue(args.contains(flag), flag + " not among " + args);
    }
  }
}
