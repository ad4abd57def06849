package llmbench.mock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads that spin on the CPU while the engine has work, as GPU engines' busy loops (CUDA sync
 * spins, vLLM's engine-core poll) and CPU-bound servers' compute threads do: a client on the same
 * host then competes for the cores with a server that never sleeps between steps. Idle engine, idle
 * threads.
 */
final class BusyThreads implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean active;
  private volatile boolean stopped;
  @SuppressWarnings("unused")
  private volatile long sink; // keeps the spin loop from being optimised away

  BusyThreads(int n) {
    for (int i = 0; i < n; i++) {
      Thread t = new Thread(this::spin, "mock-busy-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Called by the engine loop each step: spin while it has sequences, park when it has none. */
  void engineBusy(boolean busy) {
    if (busy && !active) {
      active = true;
      threads.forEach(LockSupport::unpark);
    } else if (!busy) {
      active = false;
    }
  }

  private void spin() {
    long x = 1;
    while (!stopped) {
      if (!active) {
        LockSupport.park(this);
        continue;
      }
      for (int i = 0; i < 100_000; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
      sink = x;
    }
  }

  @Override
  public void close() {
    stopped = true;
    threads.forEach(LockSupport::unpark);
  }
}
