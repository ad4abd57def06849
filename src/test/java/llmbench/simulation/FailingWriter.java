package llmbench.simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static llmbench.gatling.LlmDsl.llm;

import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import llmbench.gatling.llm.SimulationRun;
import llmbench.testutil.FullDisk;
import llmbench.trace.TraceFiles;
import llmbench.trace.TraceSink;

/**
 * Users that would stream for two minutes, while the disk under the record writer fills after
 * {@code -Ddsl.room} bytes: the run must end within seconds of the failure, with its words, and keep the
 * records written before.
 */
public class FailingWriter extends Simulation {
  private static final long ROOM = Long.getLong("dsl.room", 20_000);

  {
    setUp(scenario("streaming").exec(during(Duration.ofMinutes(2)).on(llm("ask").completion("Go").maxTokens(20).ignoreEos()))
        .injectOpen(atOnceUsers(8)))
        .protocols(llm.baseUrl(System.getProperty("dsl.url")).run(components -> new SimulationRun(components, path -> {
          try {
            return new TraceSink(TraceFiles.writer(new FullDisk(Files.newOutputStream(path), ROOM)));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })));
  }
}
