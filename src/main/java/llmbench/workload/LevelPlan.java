package llmbench.workload;

import java.util.List;
import llmbench.diagnosis.ClientDiagnosis;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * One level: closed model (a number of users, each sending its share back to back) or open model
 * ({@link Arrivals}: requests due on a seeded schedule); its shape, and its request bodies, built by {@link #prepare} before the
 * level starts (never while timing) and dropped by {@link #release} after it, so that only one
 * level's bodies (images can be megabytes each) are in memory at a time.
 */
public final class LevelPlan {
  private final String label;
  private final int concurrency;
  private final int inputLen;
  private final int outputLen;
  private final int numPrompts;
  private final IntFunction<byte[]> bodyFactory;
  private final Schedule schedule;
  private long[] dueOffsetsNs;
  private final long arrivalSeed;
  private final AtomicInteger cursor = new AtomicInteger();
  private final AtomicInteger claimed = new AtomicInteger();
  private final AtomicInteger reserved = new AtomicInteger();
  private volatile long zeroNs;
  /** A shard's requests: their indices in the one-machine level; null when the level is whole. */
  private int[] own;
  private int wholePrompts;
  private int wholeConcurrency;
  /** When the shards start the level together (nanoTime of this JVM); 0 to start at once. */
  private volatile long startAtNs;
  private boolean startAsked;
  private int turns = 1;
  private long thinkTimeMs;
  private java.util.function.BiFunction<com.fasterxml.jackson.databind.node.ArrayNode, String, byte[]> sessionBody;
  private volatile List<byte[]> bodies;
  private volatile long buildMs = -1;
  private volatile long builtAtEpochMs;
  private ClientDiagnosis.Start diagnosisStart;
  private volatile ClientDiagnosis.Level diagnosis;

  public LevelPlan(String label, int concurrency, int inputLen, int outputLen, int numPrompts,
      IntFunction<byte[]> bodyFactory) {
    this(label, concurrency, inputLen, outputLen, numPrompts, bodyFactory, null, 0);
  }

  /** An open-model level of {@code numPrompts} requests due as {@code schedule} says, drawn with {@code seed}. */
  public static LevelPlan open(Schedule schedule, int inputLen, int outputLen, int numPrompts, long seed,
      IntFunction<byte[]> bodyFactory) {
    return openLabelled(schedule.label(), schedule, inputLen, outputLen, numPrompts, seed, bodyFactory);
  }

  /** The same, under a label of the caller's (the client warm-up's servers). */
  public static LevelPlan openLabelled(String label, Schedule schedule, int inputLen, int outputLen, int numPrompts,
      long seed, IntFunction<byte[]> bodyFactory) {
    int users = schedule.maxConcurrency() != null ? Math.min(schedule.maxConcurrency(), numPrompts) : numPrompts;
    return new LevelPlan(label, users, inputLen, outputLen, numPrompts, bodyFactory, schedule, seed);
  }

  private LevelPlan(String label, int concurrency, int inputLen, int outputLen, int numPrompts,
      IntFunction<byte[]> bodyFactory, Schedule schedule, long arrivalSeed) {
    this.schedule = schedule;
    this.arrivalSeed = arrivalSeed;
    this.dueOffsetsNs = schedule == null ? null : schedule.offsetsNs(numPrompts, arrivalSeed);
    this.label = label;
    this.concurrency = concurrency;
    this.inputLen = inputLen;
    this.outputLen = outputLen;
    this.numPrompts = numPrompts;
    this.bodyFactory = bodyFactory;
    this.wholePrompts = numPrompts;
    this.wholeConcurrency = concurrency;
  }

  /**
   * This level as {@code shard} runs it: its share of the users (a request-rate level's cap too) and
   * the requests that are its own, by their index in the one-machine level, so that the prompts and
   * the schedule are the same requests split. The whole level when there is one shard.
   */
  public LevelPlan shard(Shard shard) {
    if (shard.whole()) {
      return this;
    }
    Integer cap = schedule == null ? null : schedule.maxConcurrency();
    if (cap != null && cap < shard.count()) {
      throw new IllegalArgumentException("level " + label + ": --max-concurrency " + cap + " is fewer than the "
          + shard.count() + " shards: each needs one user at least");
    }
    int[] mine = schedule == null ? shard.closedRequests(numPrompts, concurrency) : shard.openRequests(numPrompts);
    int users = schedule == null ? shard.share(concurrency) : cap != null ? shard.share(cap) : mine.length;
    LevelPlan l = new LevelPlan(label, users, inputLen, outputLen, mine.length,
        j -> bodyFactory.apply(mine[j]), schedule == null ? null : new Fixed(schedule, dueOffsetsNs), arrivalSeed);
    l.own = mine;
    l.dueOffsetsNs = dueOffsetsNs; // the one global schedule, its requests by their whole-level index
    l.wholePrompts = numPrompts;
    l.wholeConcurrency = concurrency;
    l.turns = turns;
    l.thinkTimeMs = thinkTimeMs;
    l.sessionBody = sessionBody;
    return l;
  }

  /** The requests of the one-machine level (all shards'). */
  public int wholePrompts() {
    return wholePrompts;
  }

  /** The users of the one-machine level (all shards'). */
  public int wholeConcurrency() {
    return wholeConcurrency;
  }

  /**
   * The first caller asks {@code when} for the shards' common start, a {@code nanoTime} of this JVM
   * (a rate level's schedule counts from there); the others find it set. Once per level.
   */
  public synchronized void startOnce(java.util.function.LongSupplier when) {
    if (!startAsked) {
      startAsked = true;
      startAtNs = when.getAsLong();
    }
  }

  /** How long an open level's schedule waits for its users' release: 10 ms and 0.25 ms a user, at most 2 s. */
  public static long releaseLeadNs(int users) {
    return Math.min(2_000_000_000L, 10_000_000L + 250_000L * users);
  }

  /** When the level's first user passed its start ({@code nanoTime}); 0 before. */
  public long startedNs() {
    return zeroNs;
  }

  /** When the level starts, 0 for at once. */
  public long startAtNs() {
    return startAtNs;
  }

  public static String label(int concurrency) {
    return String.format("c%03d", concurrency);
  }

  /** Builds every body of the level (prompts, images, JSON). Idempotent. */
  public synchronized void prepare() {
    if (bodies != null) {
      return;
    }
    long t0 = System.nanoTime();
    // in parallel: bodies are independent and each is seeded by its index (same result in any order)
    bodies = java.util.stream.IntStream.range(0, numPrompts).parallel().mapToObj(bodyFactory)
        .collect(java.util.stream.Collectors.toList());
    buildMs = (System.nanoTime() - t0) / 1_000_000;
    builtAtEpochMs = System.currentTimeMillis();
  }

  /** Drops the bodies once the level is over. */
  public void release() {
    bodies = null;
  }

  /** Starts the client's self-check, just before the level's first request (the first caller wins). */
  public synchronized boolean beginDiagnosis(ClientDiagnosis d) {
    if (diagnosisStart == null) {
      diagnosisStart = d.begin();
      // every user passes here before it claims a request; shards count from their common start. A
      // rendez-vous releases the users one after another on one thread: an open level's schedule starts
      // once they are out (200 users took 27 ms on 2 busy cores), or its first requests leave late
      zeroNs = startAtNs != 0 ? startAtNs : System.nanoTime() + (open() ? releaseLeadNs(concurrency) : 0);
      return true;
    }
    return false;
  }

  /**
   * Open model: the index of the next request to send, in schedule order, or -1 once all are
   * claimed. A user claims the next request only when it is free, so with a cap a request due while
   * all users are busy waits for the first to end, as vLLM's semaphore does.
   */
  public int claim() {
    int i = claimed.getAndIncrement();
    return i < numPrompts ? i : -1;
  }

  /**
   * Open model: true when a request of the level is left for a free user, and now that user's: its
   * next {@link #claim} gives one. A user reserves before it claims (in the loop's condition, the claim
   * in the feeder after it), so that no claim ever finds the level spent.
   */
  public boolean reserve() {
    return reserved.getAndIncrement() < numPrompts;
  }

  /**
   * Chat sessions: each user's requests are conversations of {@code turns} turns; the bodies hold
   * each turn's new user message (UTF-8), and {@code body} makes a request of the history so far and
   * that message. Returns this.
   */
  public LevelPlan sessions(int turns, long thinkTimeMs,
      java.util.function.BiFunction<com.fasterxml.jackson.databind.node.ArrayNode, String, byte[]> body) {
    this.turns = turns;
    this.thinkTimeMs = thinkTimeMs;
    this.sessionBody = body;
    return this;
  }

  /** Turns per session; 1 for requests on their own. */
  public int turns() {
    return turns;
  }

  public long thinkTimeMs() {
    return thinkTimeMs;
  }

  /** The request of a session's next turn: its history (user and assistant messages) and the new message. */
  public byte[] sessionBody(com.fasterxml.jackson.databind.node.ArrayNode history, String userText) {
    return sessionBody.apply(history, userText);
  }

  /**
   * The client warm-up's endless open level: a schedule starting now once the last one is spent
   * (or none started); its requests go to an in-process server, so reusing one does no harm.
   */
  public synchronized void restartIfSpent() {
    if (zeroNs == 0 || claimed.get() >= numPrompts) {
      zeroNs = System.nanoTime();
      claimed.set(0);
      reserved.set(0);
    }
  }

  /** When request {@code index} is due, on the {@link System#nanoTime()} clock. */
  public long dueNs(int index) {
    return zeroNs + dueOffsetsNs[own == null ? index : own[index]];
  }

  /** Request {@code index}'s body (open model: bodies go by schedule position). */
  public byte[] body(int index) {
    List<byte[]> b = bodies;
    if (b == null) {
      throw new IllegalStateException("level " + label + " was not prepared before it started");
    }
    return b.get(index);
  }

  /** When the level's requests are due; null for a closed-model level. */
  public Schedule schedule() {
    return schedule instanceof Fixed f ? f.of : schedule;
  }

  public boolean open() {
    return schedule != null;
  }

  public long arrivalSeed() {
    return arrivalSeed;
  }

  /** Ends it once the level's last response is in (the first caller wins). */
  public synchronized boolean endDiagnosis(ClientDiagnosis d) {
    if (diagnosisStart != null && diagnosis == null) {
      diagnosis = d.end(diagnosisStart);
      return true;
    }
    return false;
  }

  /** What the client's self-check saw inside the level; null before it ended. */
  public ClientDiagnosis.Level diagnosis() {
    return diagnosis;
  }

  /** The next unused body; each is sent once. */
  public byte[] next() {
    List<byte[]> b = bodies;
    if (b == null) {
      throw new IllegalStateException("level " + label + " was not prepared before it started");
    }
    return b.get(cursor.getAndIncrement() % numPrompts);
  }

  public String label() {
    return label;
  }

  /** Closed model: users, each with one request in flight; open model: users that send (the cap, or one per request). */
  public int concurrency() {
    return concurrency;
  }

  public int inputLen() {
    return inputLen;
  }

  public int outputLen() {
    return outputLen;
  }

  public int numPrompts() {
    return numPrompts;
  }

  /** A shard's copy of the whole level's schedule: its offsets are the whole level's, drawn once. */
  private record Fixed(Schedule of, long[] offsets) implements Schedule {
    @Override
    public String label() {
      return of.label();
    }

    @Override
    public String describe() {
      return of.describe();
    }

    @Override
    public Integer maxConcurrency() {
      return of.maxConcurrency();
    }

    @Override
    public long[] offsetsNs(int n, long seed) {
      return offsets;
    }

    @Override
    public double requestRate() {
      return of.requestRate();
    }

    @Override
    public double burstiness() {
      return of.burstiness();
    }
  }

  /** Closed model: requests (sessions, with turns) per virtual user; the level keeps exactly {@code concurrency} in flight. */
  public int rounds() {
    return concurrency == 0 ? 0 : numPrompts / concurrency / turns;
  }

  /** How long building the bodies took, -1 before {@link #prepare}. */
  public long buildMs() {
    return buildMs;
  }

  public long builtAtEpochMs() {
    return builtAtEpochMs;
  }
}
