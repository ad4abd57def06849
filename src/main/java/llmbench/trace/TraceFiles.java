package llmbench.trace;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.function.Consumer;

/** JSONL reading and writing of {@link RequestRecord}s, one record at a time (bounded memory). */
public final class TraceFiles {
  public static final String FILE_NAME = "token-timings.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TraceFiles() {}

  public static SequenceWriter writer(Path file) {
    try {
      return JSON.writer().withRootValueSeparator("\n").writeValues(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Records written to a stream of the caller's (closed with the writer). */
  public static SequenceWriter writer(java.io.OutputStream out) {
    try {
      return JSON.writer().withRootValueSeparator("\n").writeValues(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write token timings", e);
    }
  }

  /** Streams every record of a file to {@code sink}. */
  public static void forEach(Path file, Consumer<RequestRecord> sink) {
    try (MappingIterator<RequestRecord> it = JSON.readerFor(RequestRecord.class).readValues(file.toFile())) {
      for (Iterator<RequestRecord> i = it; i.hasNext(); ) {
        sink.accept(i.next());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
