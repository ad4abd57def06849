package llmbench.mock;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A step loop shaped like vLLM V1's scheduler (vllm/v1/core/sched/scheduler.py): running requests
 * first, then waiting ones, all sharing one token budget per step (chunked prefill); at most
 * {@code maxNumSeqs} running; KV cache in blocks, with recompute preemption of the newest running
 * request when blocks run out. Time is simulated by sleeping until each step's end, scaled by
 * {@code timeScale}.
 */
final class Scheduler implements Runnable {
  private static final long SPIN_NS = 80_000;
  private static final long MAX_CATCH_UP_NS = 2_000_000;

  private final MockConfig config;
  private final MockMetrics metrics;
  private final Queue<Sequence> inbox = new ConcurrentLinkedQueue<>();
  private final Deque<Sequence> waiting = new ArrayDeque<>();
  private final List<Sequence> running = new ArrayList<>();
  private final SplittableRandom jitterRandom;
  private final AtomicLong steps = new AtomicLong();
  private volatile Thread thread;
  private volatile boolean stopped;
  private volatile boolean resetRequested;
  /** The run's step-time factor (run-to-run drift); 1 without. */
  private volatile double runFactor;
  private int freeBlocks;
  private final BusyThreads busy;
  private final PrefixCache prefixCache;

  /** @param busy threads to keep spinning while there is work, or null */
  Scheduler(MockConfig config, MockMetrics metrics, BusyThreads busy) {
    this.config = config;
    this.metrics = metrics;
    this.busy = busy;
    this.freeBlocks = config.numGpuBlocks();
    this.prefixCache = config.prefixCaching() ? new PrefixCache(config.blockSize(), config.numGpuBlocks()) : null;
    this.jitterRandom = new SplittableRandom(config.seed());
    this.runFactor = config.runFactor(1);
  }

  /** The steps from now on take run {@code run}'s factor (a new run began). */
  void beginRun(int run) {
    runFactor = config.runFactor(run);
  }

  double runFactor() {
    return runFactor;
  }

  void start() {
    Thread t = new Thread(this, "mock-engine");
    t.setDaemon(true);
    t.setPriority(Thread.MAX_PRIORITY);
    thread = t;
    t.start();
  }

  void stop() {
    stopped = true;
    LockSupport.unpark(thread);
  }

  /** Empties the prefix cache at the start of the next step (the cache belongs to the engine thread). */
  void resetPrefixCache() {
    resetRequested = true;
    LockSupport.unpark(thread);
  }

  void submit(Sequence seq) {
    inbox.add(seq);
    LockSupport.unpark(thread);
  }

  long steps() {
    return steps.get();
  }

  @Override
  public void run() {
    long stepStart = System.nanoTime();
    List<Sequence.Delivery> due = new ArrayList<>();
    while (!stopped) {
      if (resetRequested && prefixCache != null) {
        resetRequested = false;
        prefixCache.clear();
      }
      for (Sequence s; (s = inbox.poll()) != null; ) {
        waiting.addLast(s);
      }
      dropCancelled();
      publishGauges();
      boolean idle = running.isEmpty() && waiting.isEmpty();
      if (busy != null) {
        busy.engineBusy(!idle);
      }
      if (idle) {
        LockSupport.park(this);
        stepStart = System.nanoTime();
        continue;
      }
      // Keep the simulated clock when the loop's own overhead made it a little late; after a real
      // stall (GC, an overloaded host) start from now rather than bunching steps to catch up.
      long now = System.nanoTime();
      if (now - stepStart > MAX_CATCH_UP_NS) {
        stepStart = now;
      }
      Plan plan = plan();
      double ms = config.stepModel().stepMs(plan.decodeSeqs, plan.decodeContext, plan.prefillTokens,
          plan.prefillAttn);
      if (config.jitter() > 0) {
        ms *= StepModel.jitterFactor(config.jitter(), jitterRandom);
      }
      ms *= runFactor;
      long deadline = stepStart + Math.round(ms * 1e6 * config.timeScale());
      due.clear();
      apply(plan, deadline, due);
      sleepUntil(deadline);
      deliver(due);
      steps.incrementAndGet();
      stepStart = deadline;
    }
  }

  /** What one step computes: a number of new tokens per scheduled sequence. */
  private static final class Plan {
    final List<Sequence> seqs = new ArrayList<>();
    final List<Integer> chunks = new ArrayList<>();
    int decodeSeqs;
    long decodeContext;
    long prefillTokens;
    double prefillAttn;

    void add(Sequence s, int chunk) {
      seqs.add(s);
      chunks.add(chunk);
      int contextAfter = s.computed + chunk;
      if (!s.prefilling()) {
        decodeSeqs++;
        decodeContext += contextAfter;
      } else {
        prefillTokens += chunk;
        prefillAttn += (double) chunk * contextAfter;
      }
    }
  }

  private Plan plan() {
    Plan plan = new Plan();
    int budget = config.maxNumBatchedTokens();
    for (int i = 0; i < running.size() && budget > 0; i++) {
      Sequence s = running.get(i);
      int chunk = Math.min(s.pendingTokens(), budget);
      while (!allocate(s, s.computed + chunk)) {
        Sequence victim = running.get(running.size() - 1);
        preempt(victim);
        if (victim == s) {
          chunk = 0;
          break;
        }
      }
      if (chunk > 0) {
        plan.add(s, chunk);
        budget -= chunk;
      } else {
        i--; // s was preempted and removed from running; the list shifted
      }
    }
    while (budget > 0 && !waiting.isEmpty() && running.size() < config.maxNumSeqs()) {
      Sequence s = waiting.peekFirst();
      if (s.computed == 0 && !s.lookedUp) {
        // a new (or preempted) request: its cached prefix needs no prefill
        int cached = prefixCache == null ? 0 : prefixCache.cachedTokens(s.blockHashes, s.promptLen);
        s.computed = cached;
        s.lookedUp = true;
        metrics.addPrefixCacheQuery(s.promptLen, cached);
      }
      int chunk = Math.min(s.pendingTokens(), budget);
      if (!allocate(s, s.computed + chunk)) {
        break;
      }
      waiting.pollFirst();
      running.add(s);
      if (prefixCache != null) {
        prefixCache.insert(s.blockHashes);
      }
      if (s.scheduledNs == 0) {
        s.scheduledNs = System.nanoTime();
        metrics.observeQueue((s.scheduledNs - s.arrivalNs) / 1e9);
      }
      plan.add(s, chunk);
      budget -= chunk;
    }
    return plan;
  }

  /**
   * One task per event loop for the whole step, not one per chunk: with hundreds of streams the
   * wake-ups, not the writes, would make the last chunks late.
   */
  private static void deliver(List<Sequence.Delivery> due) {
    Map<java.util.concurrent.Executor, List<Runnable>> byLoop = new LinkedHashMap<>();
    for (Sequence.Delivery d : due) {
      byLoop.computeIfAbsent(d.where(), k -> new ArrayList<>()).add(d.what());
    }
    for (Map.Entry<java.util.concurrent.Executor, List<Runnable>> e : byLoop.entrySet()) {
      List<Runnable> batch = e.getValue();
      e.getKey().execute(() -> batch.forEach(Runnable::run));
    }
  }

  private void apply(Plan plan, long deadline, List<Sequence.Delivery> due) {
    for (int i = 0; i < plan.seqs.size(); i++) {
      Sequence s = plan.seqs.get(i);
      s.computed += plan.chunks.get(i);
      if (s.pendingTokens() > 0) {
        continue; // a prefill chunk that does not finish the prompt samples nothing
      }
      if (s.generated == 0) {
        metrics.observeTtft((deadline - s.arrivalNs) / 1e9);
        metrics.addPromptTokens(s.promptLen);
      } else {
        metrics.observeItl((deadline - s.lastTokenNs) / 1e9);
      }
      s.lastTokenNs = deadline;
      int first = s.generated;
      int count = tokensThisStep(s);
      String finish = null;
      for (int t = 0; t < count && finish == null; t++) {
        s.generated++;
        finish = finishAt(s);
        if (finish != null) {
          count = t + 1; // the tokens after a stop are never sampled
        }
      }
      s.computed += count - 1; // the accepted drafts were verified in this step: their KV is there
      metrics.addGenerationTokens(count);
      due.add(s.output.prepareChunk(first, count, finish, deadline));
      if (finish != null) {
        finish(s);
        metrics.observeFinished((deadline - s.arrivalNs) / 1e9, finish);
      }
    }
  }

  /**
   * One token per step; under speculative decoding (after the prefill's token) one plus the drafts
   * accepted in a row, each at the acceptance rate, as vLLM's rejection sampler keeps a prefix; never
   * past max_tokens nor across the end of a reasoning model's thinking (its answer starts a chunk).
   */
  private int tokensThisStep(Sequence s) {
    int k = config.specDecode();
    if (k <= 1 || s.generated == 0) {
      return 1;
    }
    int accepted = 0;
    while (accepted < k - 1 && s.random.nextDouble() < config.specAcceptRate()) {
      accepted++;
    }
    metrics.addSpecDecode(k - 1, accepted);
    s.specDrafts++;
    s.specAccepted += accepted;
    int n = Math.min(1 + accepted, s.maxTokens - s.generated);
    if (s.generated < s.reasoningTokens) {
      n = Math.min(n, s.reasoningTokens - s.generated);
    }
    return Math.max(1, n);
  }

  /**
   * Why the sequence stops after its latest token, or null: max_tokens; EOS unless ignore_eos; a stop
   * id (what ignore_eos does not lift). vLLM checks min_tokens before EOS and stop ids.
   */
  private String finishAt(Sequence s) {
    if (s.generated >= s.maxTokens) {
      return "length";
    }
    if (s.generated < s.minTokens) {
      return null;
    }
    if (!s.ignoreEos && s.random.nextDouble() < config.eosProbability()) {
      return "stop";
    }
    return config.stopTokenRate() > 0 && s.random.nextDouble() < config.stopTokenRate() ? "stop" : null;
  }

  private boolean allocate(Sequence s, int tokens) {
    int needed = (tokens + config.blockSize() - 1) / config.blockSize() - s.blocks;
    if (needed <= 0) {
      return true;
    }
    if (needed > freeBlocks) {
      return false;
    }
    freeBlocks -= needed;
    s.blocks += needed;
    return true;
  }

  /** Recompute preemption: the sequence gives back its KV cache and must prefill everything again. */
  private void preempt(Sequence s) {
    running.remove(s);
    freeBlocks += s.blocks;
    s.blocks = 0;
    s.computed = 0;
    s.lookedUp = false;
    s.preemptions++;
    waiting.addFirst(s);
    metrics.addPreemption();
  }

  private void finish(Sequence s) {
    s.finished = true;
    running.remove(s);
    freeBlocks += s.blocks;
    s.blocks = 0;
  }

  private void dropCancelled() {
    for (int i = running.size() - 1; i >= 0; i--) {
      Sequence s = running.get(i);
      if (s.cancelled()) {
        finish(s);
      }
    }
    waiting.removeIf(Sequence::cancelled);
  }

  private void publishGauges() {
    metrics.setGauges(running.size(), waiting.size(),
        1.0 - (double) freeBlocks / config.numGpuBlocks());
  }

  private void sleepUntil(long deadline) {
    long left;
    long spin = config.spinWait() ? SPIN_NS : 0;
    while ((left = deadline - System.nanoTime()) > spin && !stopped) {
      LockSupport.parkNanos(left - spin);
    }
    while (System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }
}
