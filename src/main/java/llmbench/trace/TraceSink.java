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
 * bounded (memory stays bounded on long runs) and never blocks the event loops that fill it: when the
 * writer fails, or falls {@link #CAPACITY} records behind, it stops and says why once
 * ({@link #onFailure}); every record written before stays in the file.
 */
public final class TraceSink implements AutoCloseable {
  static final long DELAY_NS = 50_000_000L;
  static final int CAPACITY = 4096;
  private static final Pending END = new Pending(0, () -> null, null);
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final SequenceWriter writer;
  private final Thread thread;
  private volatile Throwable failure;
  private volatile java.util.function.Consumer<RequestRecord> listener;
  private volatile java.util.function.Consumer<String> onFailure = why -> { };
  private final java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();

  public TraceSink(Path file) {
    this(TraceFiles.writer(file));
  }

  /** Records written with {@code writer} (its target named by whoever made it). */
  public TraceSink(SequenceWriter writer) {
    this.writer = writer;
    this.thread = new Thread(this::drain, "llmbench-trace-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Told once, on the writer's thread, why the writer stopped: the run should end (nothing more is written). */
  public void onFailure(java.util.function.Consumer<String> tell) {
    this.onFailure = tell;
    if (failure != null) {
      tell.accept(why(failure));
    }
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
      return failure == null
          && queue.offer(new Pending(System.nanoTime(), () -> null, mark), timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS)
          && mark.await(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Queues a record; {@code record} is evaluated on the writer thread. Never waits: a writer that
   * failed takes nothing more, and one {@link #CAPACITY} records behind is failed.
   */
  public void submit(Supplier<RequestRecord> record) {
    if (failure != null) {
      return;
    }
    if (!queue.offer(new Pending(System.nanoTime() + DELAY_NS, record, null))) {
      fail(new IllegalStateException("the record writer fell " + CAPACITY + " records behind"));
    }
  }

  /** Why the writer stopped, or null while it writes. */
  public String failure() {
    Throwable f = failure;
    return f == null ? null : why(f);
  }

  private static String why(Throwable t) {
    return "writing token timings failed: " + (t.getMessage() != null ? t.getMessage() : t.toString());
  }

  private void fail(Throwable t) {
    if (failed.compareAndSet(false, true)) {
      failure = t;
      queue.clear(); // nothing more will be written: a waiting awaitWritten() learns it by its timeout
      try {
        onFailure.accept(why(t));
      } catch (RuntimeException e) {
        // the failure is kept: close() says it
      }
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
      try {
        writer.flush(); // what was written before stays readable
      } catch (IOException | RuntimeException ignored) {
        // the writer itself failed
      }
      fail(t);
    }
  }

  @Override
  public void close() {
    try {
      if (failure == null) {
        queue.put(END);
      }
      thread.join(failure == null ? 0 : 5_000);
      writer.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      if (failure == null) {
        throw new UncheckedIOException(e);
      }
    }
    if (failure != null) {
      throw new IllegalStateException(why(failure), failure);
    }
  }
}
