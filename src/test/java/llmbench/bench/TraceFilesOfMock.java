package llmbench.bench;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import llmbench.mock.GroundTruth;

/** Reads the mock's --trace JSONL. */
final class TraceFilesOfMock {
  private TraceFilesOfMock() {}

  static void read(Path file, Consumer<GroundTruth.Trace> sink) throws IOException {
    try (MappingIterator<GroundTruth.Trace> it = new ObjectMapper().readerFor(GroundTruth.Trace.class)
        .readValues(file.toFile())) {
      while (it.hasNext()) {
        sink.accept(it.next());
      }
    }
  }
}
