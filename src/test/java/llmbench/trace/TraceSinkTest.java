package llmbench.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import llmbench.testutil.FullDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record writer: never waits on the event loops that feed it; when it fails it says so once and keeps what it wrote. */
class TraceSinkTest {
  private static RequestRecord record(int i) {
    return new RequestRecord("r-" + i, "p", "c001", 1, 10, 10, i, i + 1, i, new long[] {i}, 10, 10, "text", true, null);
  }

  @Test
  void aWriterThatFailsSaysWhyOnceAndKeepsTheRecordsWrittenBefore(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("t.jsonl");
    OutputStream disk = Files.newOutputStream(file);
    TraceSink sink = new TraceSink(TraceFiles.writer(new FullDisk(disk, 20_000)));
    AtomicReference<String> why = new AtomicReference<>();
    CountDownLatch told = new CountDownLatch(1);
    sink.onFailure(w -> {
      why.set(w);
      told.countDown();
    });
    long start = System.nanoTime();
    for (int i = 0; i < 200; i++) { // about 400 bytes each: the disk fills part way
      sink.submit(() -> record(0));
      assertTrue(sink.awaitWritten(5_000) || sink.failure() != null);
    }
    assertTrue(told.await(10, TimeUnit.SECONDS), "the failure was told");
    assertTrue(why.get().contains("No space left on device"), why.get());
    long t0 = System.nanoTime();
    for (int i = 0; i < 10_000; i++) {
      sink.submit(() -> record(1)); // a failed writer takes nothing and never waits
    }
    assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "submit waited after the failure");
    Exception e = assertThrows(IllegalStateException.class, sink::close);
    assertTrue(e.getMessage().contains("No space left on device"));
    List<RequestRecord> kept = new ArrayList<>();
    TraceFiles.forEach(file, kept::add);
    assertTrue(kept.size() >= 10 && kept.size() < 200, "the complete records before the failure: " + kept.size());
    assertTrue(System.nanoTime() - start < 20_000_000_000L);
  }

  @Test
  void aWriterThatFallsBehindIsFailedRatherThanBlockingItsCallers() throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    OutputStream blocked = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        try {
          stuck.await(); // a disk that hangs
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
    };
    TraceSink sink = new TraceSink(TraceFiles.writer(blocked));
    AtomicReference<String> why = new AtomicReference<>();
    sink.onFailure(why::set);
    long t0 = System.nanoTime();
    for (int i = 0; i < TraceSink.CAPACITY + 100; i++) {
      int k = i;
      sink.submit(() -> record(k));
    }
    assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "submit waited on a stuck writer");
    assertNotNull(why.get());
    assertEquals("writing token timings failed: the record writer fell 4096 records behind", why.get());
    stuck.countDown();
  }
}
