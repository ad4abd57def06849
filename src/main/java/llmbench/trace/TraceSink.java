package llmbench.trace;

import com.fasterxml.jackson.databind.SequenceWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * Writes request records to JSONL on its own thread, so that decoding a finished stream's events and
 * writing them never runs on Gatling's event loops. Each record waits {@link #DELAY_NS} first: the
 * streams of a level end within the same few engine steps, and decoding the first ones at once would
 * take a core from the event loops still stamping the last chunks of the others. The queue is
 * bounded: memory stays bounded on long runs.
 */
public final class TraceSink implements AutoCloseable {
  static final long DELAY_NS = 50_000_000L;
  private static final Pending END = new Pending(0, () -> null, null);
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(4096);
  private final SequenceWriter writer;
  private final Thread thread;
  private volatile Throwable failure;
  private volatile java.util.function.Consumer<RequestRecord> listener;

  public TraceSink(Path file) {
    this.writer = TraceFiles.writer(file);
    this.thread = new Thread(this::drain, "llmbench-trace-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Also hands each record, once built, to {@code l} (on the writer thread; it must not block). */
  public void setListener(java.util.function.Consumer<RequestRecord> l) {
    this.listener = l;
  }

  /** A record to write, or (with {@code written}) a mark that everything queued before it is written. */
  private record Pending(long dueNs, Supplier<RequestRecord> record, java.util.concurrent.CountDownLatch written) {}

  /**
   * Waits until every record queued so far is written, flushed and handed to the listener (at most
   * {@code timeoutMs}); false when that took longer.
   */
  public boolean awaitWritten(long timeoutMs) {
    java.util.concurrent.CountDownLatch mark = new java.util.concurrent.CountDownLatch(1);
    try {
      queue.put(new Pending(System.nanoTime(), () -> null, mark));
      return mark.await(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Queues a record; {@code record} is evaluated on the writer thread. */
  public void submit(Supplier<RequestRecord> record) {
    try {
      queue.put(new Pending(System.nanoTime() + DELAY_NS, record, null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void drain() {
    try {
      while (true) {
        Pending p = queue.take();
        if (p == END) {
          break;
        }
        for (long wait; (wait = p.dueNs() - System.nanoTime()) > 0; ) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        if (p.written() != null) {
          writer.flush();
          p.written().countDown();
          continue;
        }
        RequestRecord r = p.record().get();
        writer.write(r);
        java.util.function.Consumer<RequestRecord> l = listener;
        if (l != null) {
          l.accept(r);
        }
        if (queue.isEmpty()) {
          writer.flush(); // an interrupted run keeps every finished request
        }
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  @Override
  public void close() {
    try {
      queue.put(END);
      thread.join();
      writer.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (failure != null) {
      throw new IllegalStateException("writing token timings failed: " + failure, failure);
    }
  }
}
