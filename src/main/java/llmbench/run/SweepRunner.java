package llmbench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import llmbench.capacity.CapacityPage;
import llmbench.capacity.CapacityRun;
import llmbench.capacity.CapacitySearch;
import llmbench.config.Repeats;
import llmbench.config.RunConfig;
import llmbench.config.Selection;
import llmbench.gatlinglog.SimulationLog;
import llmbench.mock.MockServer;
import llmbench.prompt.TextTokenizer;
import llmbench.results.LevelResult;
import llmbench.results.ResultFiles;
import llmbench.server.Discovery;
import llmbench.server.EngineParams;
import llmbench.distributed.Barrier;
import llmbench.server.GpuSampler;
import llmbench.server.LaunchCommand;
import llmbench.server.ServerClient;
import llmbench.server.ServerFacts;
import llmbench.stats.Slo;
import llmbench.workload.Workload;

/**
 * A sweep as {@code run_test.sh} and {@code run_vision_test.sh} run it, from a checked
 * {@link RunConfig}: finds the server's facts once, records how it was launched and its GPU memory,
 * runs each profile as a Gatling simulation (or searches a capacity), and writes the output folder.
 * Ctrl-C keeps every level measured so far.
 */
public final class SweepRunner {
  public static final String TOOL_VERSION = "0.1.0";

  /** Runs one profile's simulation; how it ended. */
  public interface Launcher {
    ProfileOutcome run(ProfileJob job);
  }

  private final RunConfig config;
  private final Launcher launcher;
  private final Path out;
  private final List<LevelResult> results = new ArrayList<>();
  private final AtomicReference<ProfileRun> current = new AtomicReference<>();
  private volatile boolean finished;
  private Barrier barrier = Barrier.NONE;
  private static final String SWEEP_START = "sweep start";
  private static final String SWEEP_DONE = "sweep done";
  private static final com.fasterxml.jackson.databind.ObjectMapper FACTS = new com.fasterxml.jackson.databind.ObjectMapper();
  private final Map<Integer, Path> shardOutputs = new java.util.TreeMap<>();

  public SweepRunner(RunConfig config, Launcher launcher) {
    this.config = config;
    this.launcher = launcher;
    this.out = config.output().out();
  }

  /** 0 when every profile ran (or the search found its answer), 1 otherwise. */
  public int run() throws IOException {
    Selection.Capacity capacity = config.selection().capacity();
    MockServer mock = null;
    String base = config.server().baseUrl();
    if (config.server().mock()) {
      Path dir = config.server().tokenizerDir() != null ? config.server().tokenizerDir() : TextTokenizer.DEFAULT_DIR;
      mock = MockServer.start(config.mock().builder().loraModules(config.workload().adapters().names())
          .tokenizerDir(TextTokenizer.hasTokenizer(dir) ? dir : null).build());
      base = mock.baseUrl();
      System.out.println("built-in mock vLLM server started at " + base);
    }
    GpuSampler sampler = new GpuSampler(config.output().nvidiaSmi(), config.output().gpuIntervalMs());
    Thread onCtrlC = null;
    try {
      ServerClient client = new ServerClient(base, config.server().apiKey(), java.time.Duration.ofMinutes(10),
          config.server().tls(), config.server().headers());
      boolean first = config.shards().shard().first();
      ServerFacts server = null;
      try {
        if (first) { // the other shards of a sharded sweep learn it from shard 0: the server is asked once
          server = ServerFacts.of(base, client, Discovery.discover(client, config.server().model(),
              config.server().maxModelLen()));
          TextTokenizer.requireUsable(config.server().tokenizerDir(), server.builtinMock());
        }
      } catch (ServerClient.ServerError e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      }
      barrier = Barrier.open(config.shards(), config.workload().seed()); // shard 0 listens: a port in use stops here
      if (!config.shards().shard().whole()) {
        server = meetAtStart(server);
        if (server == null) {
          return 1;
        }
        TextTokenizer.requireUsable(config.server().tokenizerDir(), server.builtinMock());
      }
      Discovery.Result found = server.discovered();
      // the server answers and the settings hold: only now does the folder change
      Files.createDirectories(out);
      Path archived = capacity != null && capacity.resume() ? null : Archive.previousRun(out);
      if (archived != null) {
        System.out.println("the previous results moved to " + archived);
      }
      System.out.println("server " + base + ": model " + found.modelId() + ", max_model_len "
          + found.maxModelLen() + " (" + found.maxModelLenSource() + "), " + server.kind().family().label()
          + (server.kind().specDecode() ? ", decoding speculatively" : ""));
      long seed = config.workload().seed();
      System.out.println("seed " + seed + " (--seed " + seed + " sends the same prompts"
          + (config.load().open() ? " at the same times" : "") + " again)");
      if (first) {
        Files.writeString(out.resolve("engine_params.txt"), EngineParams.render(base, client, found,
            LaunchCommand.system(), TOOL_VERSION, SimulationLog.SUPPORTED_VERSION, config.workload().extra().fields()));
      } else {
        System.out.println("engine_params.txt: shard 0 reads the server's parameters (the merge takes its file)");
      }
      if (config.shards().shard().first()) {
        sampler.start();
      } else {
        sampler.skip("GPU memory is read by shard 0 (this is shard " + config.shards().shard() + ")");
      }
      if (sampler.unavailable() != null) {
        System.out.println(sampler.unavailable());
      }
      RunConfig onServer = config.with(config.server().withBaseUrl(base)); // the sweep's mock serves every profile
      MockServer started = mock;
      Runtime.getRuntime().addShutdownHook(onCtrlC = new Thread(() -> {
        System.err.println("interrupted: writing what was measured so far");
        ProfileRun run = current.getAndSet(null);
        if (run != null) {
          try {
            results.addAll(run.interrupted());
          } catch (RuntimeException e) {
            System.err.println("error: could not save the interrupted profile's records: " + e.getMessage());
          }
        }
        finish(sampler, started);
      }));
      int status = capacity != null ? findCapacity(onServer, capacity, server) : profiles(onServer, server, mock);
      Runtime.getRuntime().removeShutdownHook(onCtrlC);
      finish(sampler, mock, true);
      return status;
    } catch (IOException | RuntimeException e) {
      if (onCtrlC != null) {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      }
      finish(sampler, mock);
      throw e;
    }
  }

  private int profiles(RunConfig onServer, ServerFacts server, MockServer mock) {
    int failures = 0;
    for (Workload.Entry e : onServer.selection().entries()) {
      String name = e.profile().name();
      String notFit = onServer.shape(e.profile()).doesNotFit(server.discovered().maxModelLen());
      if (notFit != null && (onServer.selection().workloadFile() == null || e.settings().dataset() == null)) {
        System.out.println("\n=== profile " + name + " skipped: " + notFit + " ===");
        continue;
      }
      Repeats repeats = e.settings().repeat() != null ? onServer.repeats().withCount(e.settings().repeat())
          : onServer.repeats();
      List<LevelResult> runs = new ArrayList<>();
      for (int run = 1; run <= repeats.count(); run++) {
        if (run > 1 && !rest(repeats, onServer)) {
          break;
        }
        if (mock != null) {
          mock.beginRun(run); // the built-in mock's run-to-run drift, when asked for
          if (mock.config().runDrift() > 0) {
            System.out.printf(java.util.Locale.ROOT, "built-in mock: run %d's steps take %.3f times as long "
                + "(--mock-run-drift)%n", run, mock.runFactor());
          }
        }
        // each run its own prompts (the seed + run - 1): a run of the last one's prompts would find them in
        // the server's prefix cache (on the mock, TTFT fell from 44 to 10 ms); same lengths, same schedule
        RunConfig runConfig = run == 1 ? onServer.with(repeats.run(1))
            : onServer.with(repeats.run(run)).with(onServer.workload().withSeed(onServer.workload().seed() + run - 1));
        ProfileJob job = new ProfileJob(runConfig, e, server, current::set, barrier);
        System.out.println("\n=== profile " + name + " (" + job.simulationName() + ")"
            + (repeats.repeated() ? ", run " + run + " of " + (repeats.untilStable() != null ? "at most " : "")
            + repeats.count() + (run > 1 ? ", seed " + runConfig.workload().seed() : "") : "") + " ===");
        ProfileOutcome outcome = launcher.run(job);
        current.set(null);
        if (outcome instanceof ProfileOutcome.Completed c) {
          results.addAll(c.results());
          runs.addAll(c.results());
        } else if (outcome instanceof ProfileOutcome.NotRun || outcome instanceof ProfileOutcome.Failed) {
          failures++;
          System.out.println("profile " + name + " did not complete: " + why(outcome));
          break;
        } else {
          break; // skipped: every run would be
        }
        String stable = repeats.untilStable() == null ? null : StableCheck.check(runs, repeats);
        if (stable != null) {
          System.out.println(stable);
          break;
        }
      }
    }
    return failures == 0 ? 0 : 1;
  }

  /** The cooldown between two runs; false when interrupted (the sweep is stopping). */
  private static boolean rest(Repeats repeats, RunConfig onServer) {
    try {
      Cooldown.rest(repeats.cooldown(), new ServerClient(onServer.server().baseUrl(), onServer.server().apiKey(),
          java.time.Duration.ofMinutes(10), onServer.server().tls(), onServer.server().headers()),
          System.out);
      return true;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The search, each probe one run of the profile with one level; 0 when it found its answer. */
  private int findCapacity(RunConfig onServer, Selection.Capacity capacity, ServerFacts server) {
    Workload.Entry entry = onServer.selection().entries().get(0);
    String notFit = onServer.shape(entry.profile()).doesNotFit(server.discovered().maxModelLen());
    if (notFit != null) {
      System.err.println("error: profile " + entry.profile().name() + " cannot run: " + notFit);
      return 1;
    }
    CapacityRun.Plan plan = new CapacityRun.Plan(capacity.search(), capacity.slo(), capacity.minRequests(),
        onServer.workload().seed(), out);
    try {
      CapacitySearch.Answer a = CapacityRun.run(plan, probe -> {
        ProfileOutcome outcome = launcher.run(new ProfileJob(probeConfig(onServer, probe), entry, server, current::set));
        current.set(null);
        if (!(outcome instanceof ProfileOutcome.Completed)) {
          throw new IllegalStateException(why(outcome));
        }
      }, System.out);
      System.out.println("capacity page: " + CapacityPage.write(a, capacity.slo(), out));
      return 0;
    } catch (Exception e) {
      System.out.println("the capacity search stopped: " + e.getMessage() + "; the probes measured so far are in "
          + out.resolve("probes") + " (--resume continues from them)");
      return 1;
    }
  }

  private static String why(ProfileOutcome o) {
    if (o instanceof ProfileOutcome.Skipped s) {
      return s.reason();
    }
    if (o instanceof ProfileOutcome.NotRun n) {
      return n.message();
    }
    return o instanceof ProfileOutcome.Failed f ? f.message() : "completed";
  }

  /** A probe's run: one level, its own folder, seed and percentiles. */
  static RunConfig probeConfig(RunConfig c, CapacityRun.ProbeLevel p) {
    return c.with(c.workload().withSeed(p.seed()))
        .with(p.concurrency() != null ? c.load().closed(p.concurrency(), p.rounds()) : c.load().rate(p.rate(), p.numPrompts()))
        .with(c.output().forProbe(p.dir(), p.percentiles(), Slo.parse(p.goodput())));
  }

  /** Writes mem_usage.txt and the summary from whatever results exist; stops the sampler and the mock. */
  private synchronized void finish(GpuSampler sampler, MockServer mock) {
    finish(sampler, mock, false);
  }

  /**
   * The same; {@code meet}: the sweep ended on its own (not Ctrl-C), so a shard tells shard 0 where
   * its results are, once written, and shard 0 learns every shard's ({@link #shardOutputs}).
   */
  private synchronized void finish(GpuSampler sampler, MockServer mock, boolean meet) {
    if (finished) {
      return;
    }
    finished = true;
    try {
      sampler.close();
      boolean probes = config.selection().capacity() != null;
      List<LevelResult> written = probes ? probeResults(false) : List.copyOf(results);
      new SweepEnd(out, config.output().gatlingResults(), System.out,
          () -> probes ? probeResults(true) : ResultFiles.full(out), config.repeats().confidence()).write(written, sampler, config.output().gpuIntervalMs());
    } catch (IOException | RuntimeException e) {
      System.err.println("error: could not write the summary: " + e.getMessage());
    } finally {
      if (mock != null) {
        mock.close();
      }
      if (meet && !config.shards().shard().whole()) {
        barrier.arrive(SWEEP_DONE, out.toAbsolutePath().toString());
        barrier.notes(SWEEP_DONE).forEach((shard, dir) -> shardOutputs.put(shard, Path.of(dir)));
      }
      barrier.close();
    }
  }

  /**
   * The sweep's first meeting: shard 0 tells the server's facts (it alone asked the server), the
   * others learn them. Null, said in one line, when a shard learnt nothing (shard 0 never came).
   */
  private ServerFacts meetAtStart(ServerFacts mine) {
    try {
      barrier.arrive(SWEEP_START, mine == null ? null : FACTS.writeValueAsString(mine));
      String told = barrier.told(SWEEP_START);
      if (told == null) {
        System.err.println("error: shard 0 did not tell the server's facts within --barrier-timeout ("
            + config.shards().barrierTimeout().toSeconds() + " s): is it running, at --coordinator "
            + config.shards().coordinatorHost() + ":" + config.shards().coordinatorPort() + "?");
        return null;
      }
      return FACTS.readValue(told, ServerFacts.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the server's facts did not pass between the shards: " + e.getMessage(), e);
    }
  }

  /** Shard 0, once the sweep ended: every shard's results folder, as each told it (those that arrived). */
  public Map<Integer, Path> shardOutputs() {
    return Map.copyOf(shardOutputs);
  }

  /** A capacity search's probe results (probes/<level>/, this run's and a resumed one's), in the order they ran. */
  private List<LevelResult> probeResults(boolean full) throws IOException {
    List<LevelResult> all = new ArrayList<>();
    Path probes = out.resolve("probes");
    if (Files.isDirectory(probes)) {
      try (Stream<Path> dirs = Files.list(probes)) {
        for (Path d : dirs.filter(Files::isDirectory).toList()) {
          all.addAll(full ? ResultFiles.full(d) : ResultFiles.summaries(d));
        }
      }
    }
    all.sort(Comparator.comparingLong(LevelResult::levelStartEpochMs));
    return all;
  }
}
