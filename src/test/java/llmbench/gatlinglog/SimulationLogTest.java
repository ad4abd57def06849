package llmbench.gatlinglog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Against a real simulation.log written by Gatling 3.15.1 (LowLoad, levels 1 and 4, against the mock). */
class SimulationLogTest {
  static byte[] fixture() throws IOException {
    try (InputStream in = SimulationLogTest.class.getResourceAsStream("/gatling/lowload-c1-c4.simulation.log")) {
      return in.readAllBytes();
    }
  }

  @Test
  void readsARealLog() throws IOException {
    SimulationLog.Contents c = SimulationLog.read(new ByteArrayInputStream(fixture()));
    assertEquals("3.15.1", c.run().gatlingVersion());
    assertEquals("LowLoad", c.run().simulationClass());
    assertEquals(List.of("warmup", "c001", "c004"), c.run().scenarios());
    assertEquals(1 + 1 + 4, c.users());
    // per request: connect, first token, full response, close
    assertEquals((2 + 1 + 4) * 4, c.requests().size());
    long connects = c.requests().stream().filter(r -> r.name().equals("connect")).count();
    assertEquals(7, connects);
    assertTrue(c.requests().stream().allMatch(SimulationLog.Request::ok));
    SimulationLog.Request first = c.requests().get(0);
    assertEquals("warmup (concurrency 1, 100 in, 16 out)", first.groups().get(0));
    assertTrue(first.endMs() >= first.startMs());
    assertEquals(7, c.groups().size());
    long c4 = c.requests().stream().filter(r -> r.groups().get(0).startsWith("c004")).count();
    assertEquals(16, c4);
  }

  @Test
  void keepsCompleteRecordsOfATruncatedLog() throws IOException {
    byte[] full = fixture();
    SimulationLog.Contents c = SimulationLog.read(new ByteArrayInputStream(Arrays.copyOf(full, full.length / 2)));
    assertTrue(c.requests().size() > 0 && c.requests().size() < 28, c.requests().size() + " requests");
  }

  @Test
  void refusesAnotherGatlingVersion() throws IOException {
    byte[] bytes = fixture();
    // RUN record: header byte, int32 length of the version string, then "3.15.1"
    bytes[1 + 4 + 5] = '2';
    IOException e = assertThrows(IOException.class, () -> SimulationLog.read(new ByteArrayInputStream(bytes)));
    assertTrue(e.getMessage().contains("3.15.2"));
  }
}
