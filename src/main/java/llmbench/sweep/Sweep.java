package llmbench.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import llmbench.gatlinglog.SimulationLog;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.prompt.NoiseImages;
import llmbench.prompt.TextTokenizer;
import llmbench.report.MemUsage;
import llmbench.report.SweepSummary;
import llmbench.report.html.ReportCharts;
import llmbench.report.html.ReportModel;
import llmbench.report.html.ReportPage;
import llmbench.server.Discovery;
import llmbench.server.EngineParams;
import llmbench.server.GpuSampler;
import llmbench.server.LaunchCommand;
import llmbench.server.ServerClient;
import llmbench.telemetry.MetricsScraper;
import llmbench.telemetry.TelemetryCsv;
import llmbench.workload.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./run_test.sh}: the seed's text sweep. Finds the server's facts, records how it was launched
 * and its GPU memory, runs the high, medium and low profiles as Gatling simulations (one JVM), and
 * writes the output folder: per-level results, engine_params.txt, mem_usage.txt, a sweep summary.
 */
@Command(name = "run_test.sh", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Benchmark an OpenAI-compatible server (vLLM first) with the seed's text profiles "
        + "(run_test.sh) or vision profiles (run_vision_test.sh [IM_WIDTH IM_HEIGHT]).%n"
        + "Results go to the output folder; an earlier run's files there move to archive/<date>/.")
public final class Sweep implements Callable<Integer>, llmbench.cli.Cli.Examples {
  public static final String TOOL_VERSION = "0.1.0";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Runs one Gatling simulation in this JVM; returns Gatling's status. */
  public interface Launcher {
    int run(String simulationClass, Path gatlingResults);
  }

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;
  @Option(names = "--workload", description = "A YAML or JSON file of named profiles (lengths or a dataset, "
      + "concurrency levels or request rates, rounds or prompts); --profiles picks among them (default: all).")
  Path workload;
  @Option(names = "--url", description = "Server base URL (default: $OPENAI_BASE_URL or http://localhost:8000).")
  String url;
  @Option(names = "--mock", description = "Start the built-in mock vLLM server for this run (no GPU needed).")
  boolean mock;
  @Option(names = "--profiles", split = ",", description = "Profiles to run, in order "
      + "(default: high,medium,low; for run_vision_test.sh vision1,vision2).")
  List<String> profiles;
  @Parameters(arity = "0..2", paramLabel = "SIZE", description = "run_vision_test.sh only: IM_WIDTH IM_HEIGHT "
      + "of the noise image sent with every request (default: 512 512, at most " + NoiseImages.MAX_SIDE + ").")
  List<String> imageSize = new ArrayList<>();
  @Option(names = "--image-format", description = "run_vision_test.sh only: png (default) or jpeg (quality 75).")
  String imageFormat = "png";
  @Option(names = "--rounds", description = "Prompts per level = concurrency × rounds (default: ${DEFAULT-VALUE}).")
  int rounds = 1;
  @Option(names = "--out", description = "Output folder (default: output; for run_vision_test.sh "
      + "output/vision_WxH, and DIR/vision_WxH for a DIR given).")
  Path out;
  @Option(names = "--tokenizer", description = "Folder with the model's tokenizer.json (default: fake_model; "
      + "the built-in mock brings its own).")
  Path tokenizer;
  @Option(names = "--model", description = "Model name to send (default: the first of /v1/models).")
  String model;
  @Option(names = "--max-model-len", description = "Context length, when the server does not tell it.")
  Integer maxModelLen;
  @Option(names = "--endpoint", description = "completions (default, as vLLM's random dataset) or chat.")
  String endpoint = "completions";
  @Option(names = "--percentiles", description = "Percentiles to report (default: ${DEFAULT-VALUE}).")
  String percentiles = "99";
  @Option(names = "--goodput", description = "SLOs for goodput, e.g. ttft:500,tpot:50 (ms).")
  String goodput;
  @Option(names = "--timeout", description = "Seconds a request may take (default: ${DEFAULT-VALUE}).")
  int timeout = 600;
  @Option(names = "--input-len", description = "Input tokens per prompt instead of the profile's (all profiles).")
  Integer inputLen;
  @Option(names = "--output-len", description = "Output tokens per request instead of the profile's (all profiles).")
  Integer outputLen;
  @Option(names = "--find-capacity", description = "Search the largest load that meets --slo (one profile, "
      + "default low): doubling, then bisection; each probe is a level with its results in probes/<level>/.")
  boolean findCapacity;
  @Option(names = "--slo", description = "With --find-capacity: targets, e.g. ttft_p99:500,tpot_p99:50 "
      + "(METRIC_STAT:MS; METRIC ttft, tpot, itl, e2el; STAT p99, p90, mean, median).")
  String slo;
  @Option(names = "--by", description = "With --find-capacity: concurrency (default: closed-model users) or rate (req/s).")
  String by = "concurrency";
  @Option(names = "--max-load", description = "With --find-capacity: the largest load to try (default: 256 users "
      + "or 128 req/s).")
  Double maxLoad;
  @Option(names = "--min-requests", description = "With --find-capacity: requests per probe at least (default: "
      + "${DEFAULT-VALUE}, so that a P99 differs from the maximum).")
  int minRequests = 100;
  @Option(names = "--max-probes", description = "With --find-capacity: measurements at most, repeats not counted "
      + "(default: ${DEFAULT-VALUE}).")
  int maxProbes = 12;
  @Option(names = "--resume", description = "With --find-capacity: continue the search in --out, reusing the "
      + "probes already measured there (nothing is archived).")
  boolean resume;
  @Option(names = "--request-rate", paramLabel = "RATES", description = "Request-rate levels instead of concurrency "
      + "levels, e.g. 1,2,4,inf (req/s; inf = all at once), with vLLM's arrivals: gamma gaps, seeded.")
  String requestRate;
  @Option(names = "--burstiness", description = "Request-rate levels: the gamma shape; 1 = Poisson, < 1 burstier (default: 1).")
  Double burstiness;
  @Option(names = "--max-concurrency", description = "Request-rate levels: at most this many requests in flight.")
  Integer maxConcurrency;
  @Option(names = "--num-prompts", description = "Request-rate levels: requests per level (default: "
      + llmbench.workload.BenchSettings.DEFAULT_NUM_PROMPTS + ").")
  Integer numPrompts;
  @Option(names = "--dataset", description = "random (default: exact-length random prompts), sharegpt:PATH "
      + "(vLLM's ShareGPT JSON, its filter, the reference completion's length as output unless --output-len) or "
      + "jsonl:PATH (one {\"prompt\": ..., \"output_tokens\": N} or {\"messages\": [...]} per line).")
  String dataset;
  @Option(names = "--turns", description = "Chat sessions of this many turns: each user is one conversation on "
      + "/v1/chat/completions, re-sending the history each turn (the profile's input is each turn's new message).")
  Integer turns;
  @Option(names = "--think-time-ms", description = "With --turns: the pause between a session's turns (default: 0).")
  Integer thinkTimeMs;
  @Option(names = "--prefix-len", description = "Tokens of a shared prefix before each prompt's own input (vLLM's "
      + "--random-prefix-len): prompts are prefix + input tokens long, for the server's prefix cache.")
  Integer prefixLen;
  @Option(names = "--num-prefixes", description = "With --prefix-len: this many different prefixes, request i "
      + "takes prefix i mod K (default: 1).")
  Integer numPrefixes;
  @Option(names = "--flush-cache", description = "Empty the server's prefix cache before each profile "
      + "(vLLM's /reset_prefix_cache, served with VLLM_SERVER_DEV_MODE=1, or SGLang's /flush_cache).")
  boolean flushCache;
  @Option(names = "--seed", description = "Prompt and arrival seed (default: a fresh one per run, in the results; "
      + "give it to send the same prompts again).")
  Long seed;
  @Option(names = "--connections", description = "keep-alive (default: each virtual user keeps its connection, "
      + "as the OpenAI SDK does) or per-request (a new TCP connection for every request).")
  String connections = "keep-alive";
  @Option(names = "--gpu-interval-ms", description = "nvidia-smi sampling interval (default: ${DEFAULT-VALUE}).")
  int gpuIntervalMs = 1000;
  @Option(names = "--metrics-interval-ms", description = "Scrape the server's /metrics this often, and at "
      + "each level's start and end, for the timeline and the server_* result keys; 0 = off (default: ${DEFAULT-VALUE}).")
  int metricsIntervalMs = 1000;
  @Option(names = "--nvidia-smi", description = "nvidia-smi command (default: ${DEFAULT-VALUE}).", hidden = true)
  String nvidiaSmi = "nvidia-smi";
  @Option(names = "--mock-time-scale", description = "Mock only: simulated time per real time (default: ${DEFAULT-VALUE}).")
  double mockTimeScale = 1.0;
  @Option(names = "--mock-max-model-len", description = "Mock only: its context length (default: ${DEFAULT-VALUE}).")
  int mockMaxModelLen = 16384;
  @Option(names = "--mock-max-num-seqs", description = "Mock only: requests it runs at once, as vLLM's --max-num-seqs "
      + "(default: ${DEFAULT-VALUE}).")
  int mockMaxNumSeqs = 256;
  @Option(names = "--gatling-console", description = "Print Gatling's own console summary every 30 s as well "
      + "(off: a live line per level says where the sweep is).")
  boolean gatlingConsole;
  @Option(names = "--gatling-results", hidden = true)
  Path gatlingResults = Path.of("target", "gatling");

  private final Launcher launcher;
  private final boolean vision;
  private NoiseImages.Spec image;

  /** @param vision true for run_vision_test.sh: vision profiles, one noise image per request */
  public Sweep(Launcher launcher, boolean vision) {
    this.launcher = launcher;
    this.vision = vision;
  }

  public Sweep(Launcher launcher) {
    this(launcher, false);
  }

  @Override
  public List<String> examples() {
    return vision
        ? List.of("./run_vision_test.sh 512 512 --mock", "./run_vision_test.sh 1024 1024 --url http://gpu-node:8000",
            "./run_vision_test.sh 448 448 --image-format jpeg --rounds 4")
        : List.of("./run_test.sh --mock", "./run_test.sh --url http://gpu-node:8000 --request-rate 1,4,16,inf",
            "./run_test.sh --mock --find-capacity --slo ttft_p99:500,tpot_p99:20");
  }

  public String commandName() {
    return vision ? "run_vision_test.sh" : "run_test.sh";
  }

  @Override
  public Integer call() throws IOException {
    CapacityOptions capacity = checkCapacityOptions(); // before the profiles' default: a search takes one
    llmbench.workload.Workload file = workload == null ? null : llmbench.workload.Workload.read(workload);
    if (file != null && capacity != null) {
      throw new IllegalArgumentException("--find-capacity searches one of the seed's profiles (or --input-len/--output-len): "
          + "leave out --workload");
    }
    List<String> allowed = file != null ? file.names()
        : vision ? List.of("vision1", "vision2") : List.of("high", "medium", "low");
    if (profiles == null) {
      profiles = allowed;
    }
    for (String p : profiles) {
      if (!allowed.contains(p)) {
        throw new IllegalArgumentException("unknown profile '" + p + "' in --profiles: use " + String.join(", ", allowed));
      }
    }
    if (!vision && !imageSize.isEmpty()) {
      throw new IllegalArgumentException("unexpected argument " + imageSize.get(0) + " (image sizes are for run_vision_test.sh)");
    }
    if (vision) {
      image = imageSpec(imageSize, imageFormat);
    }
    if (out == null) {
      out = vision ? Path.of("output", "vision_" + image.label()) : Path.of("output");
    } else if (vision && (out.getFileName() == null || !out.getFileName().toString().equals("vision_" + image.label()))) {
      // the simulations put vision results under <out>/vision_WxH: the sweep's own files go with them
      out = out.resolve("vision_" + image.label());
    }
    if (rounds < 1 || timeout < 1 || gpuIntervalMs < 10) {
      throw new IllegalArgumentException("--rounds and --timeout must be >= 1, --gpu-interval-ms >= 10");
    }
    if (metricsIntervalMs != 0 && metricsIntervalMs < 100) {
      throw new IllegalArgumentException("--metrics-interval-ms must be 0 (off) or at least 100");
    }
    if (!endpoint.equals("completions") && !endpoint.equals("chat")) {
      throw new IllegalArgumentException("--endpoint must be completions or chat");
    }
    if (!connections.equals("keep-alive") && !connections.equals("per-request")) {
      throw new IllegalArgumentException("--connections must be keep-alive or per-request");
    }
    TextTokenizer.requireGiven(tokenizer);
    if (seed == null) {
      seed = llmbench.workload.BenchSettings.freshSeed();
    }

    String base = url != null ? url : System.getenv().getOrDefault("OPENAI_BASE_URL", "http://localhost:8000");
    base = base.replaceAll("/+$", "").replaceAll("/v1$", "");
    // every llm.* setting is checked here, before anything starts: a mistake is one line, status 2
    Map<String, String> check = properties(base, new Discovery.Result("model", 1, "check", List.of()));
    llmbench.workload.BenchSettings.from(check, Map.of());
    if (file != null) {
      for (String name : profiles) {
        llmbench.workload.Workload.Entry e = file.named(name);
        refuseOptionsTheFileSets(e);
        Map<String, String> withFile = new LinkedHashMap<>(check);
        withFile.putAll(e.settings());
        llmbench.workload.BenchSettings.from(withFile, Map.of()).apply(e.profile());
      }
    }
    Files.createDirectories(out);
    Path archived = resume ? null : archivePreviousRun(out);
    if (archived != null) {
      System.out.println("the previous results moved to " + archived);
    }
    MockServer server = null;
    if (mock) {
      server = MockServer.start(MockConfig.builder().port(0).timeScale(mockTimeScale).maxModelLen(mockMaxModelLen)
          .maxNumSeqs(mockMaxNumSeqs)
          .tokenizerDir(TextTokenizer.hasTokenizer(tokenizerDir()) ? tokenizerDir() : null).build());
      base = server.baseUrl();
      System.out.println("built-in mock vLLM server started at " + base);
    }
    GpuSampler sampler = new GpuSampler(nvidiaSmi, gpuIntervalMs);
    Thread onCtrlC = null;
    try {
      String apiKey = System.getenv("OPENAI_API_KEY");
      ServerClient client = new ServerClient(base, apiKey);
      Discovery.Result found;
      try {
        found = Discovery.discover(client, model, maxModelLen);
      } catch (ServerClient.ServerError e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      }
      if (!TextTokenizer.hasTokenizer(tokenizerDir())) {
        TextTokenizer.requireUsable(tokenizer, client.isBuiltinMock());
      }
      System.out.println("server " + base + ": model " + found.modelId() + ", max_model_len "
          + found.maxModelLen() + " (" + found.maxModelLenSource() + ")");
      System.out.println("seed " + seed + " (--seed " + seed + " sends the same prompts"
          + (requestRate != null ? " at the same times" : "") + " again)");
      Files.writeString(out.resolve("engine_params.txt"), EngineParams.render(base, client, found,
          LaunchCommand.system(), TOOL_VERSION, SimulationLog.SUPPORTED_VERSION));
      sampler.start();
      if (sampler.unavailable() != null) {
        System.out.println(sampler.unavailable());
      }
      final String serverUrl = base;
      final MockServer started = server;
      Runtime.getRuntime().addShutdownHook(onCtrlC = new Thread(() -> {
        System.err.println("interrupted: writing what was measured so far");
        salvagePendingTimings();
        finish(sampler, started);
      }));
      Map<String, String> props = properties(serverUrl, found);
      if (capacity != null) {
        int status = findCapacity(capacity, props, found);
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
        finish(sampler, server);
        props.keySet().forEach(System::clearProperty);
        return status;
      }
      int failures = 0;
      for (String profile : profiles) {
        Profile shape = file != null ? file.named(profile).profile() : Profile.named(profile);
        String notFit = shape.doesNotFit(found.maxModelLen());
        if (notFit != null && (file == null || !file.named(profile).settings().containsKey("llm.dataset"))) {
          System.out.println("\n=== profile " + profile + " skipped: " + notFit + " ===");
          continue;
        }
        String simulation = file != null ? "WorkloadLoad" : simulationOf(profile);
        props.forEach(System::setProperty);
        if (file != null) {
          System.setProperty("llm.workload", workload.toString());
          System.setProperty("llm.profile", profile);
        }
        System.clearProperty("llm.lastError");
        System.out.println("\n=== profile " + profile + " (" + simulation + ") ===");
        int status = launcher.run(simulation, gatlingResults);
        String error = System.getProperty("llm.lastError");
        if (error != null || status != 0) {
          failures++;
          System.out.println("profile " + profile + " did not complete: "
              + (error != null ? error : "Gatling exited with status " + status));
        }
      }
      Runtime.getRuntime().removeShutdownHook(onCtrlC);
      finish(sampler, server);
      props.keySet().forEach(System::clearProperty);
      System.clearProperty("llm.workload");
      System.clearProperty("llm.profile");
      return failures == 0 ? 0 : 1;
    } catch (IOException | RuntimeException e) {
      finish(sampler, server);
      throw e;
    }
  }

  private Map<String, String> properties(String base, Discovery.Result found) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("llm.url", base);
    p.put("llm.model", found.modelId());
    p.put("llm.maxModelLen", Integer.toString(found.maxModelLen()));
    if (tokenizer != null) {
      p.put("llm.tokenizer", tokenizer.toString());
    }
    if (spec == null || spec.commandLine().getParseResult().hasMatchedOption("--endpoint")) {
      p.put("llm.endpoint", endpoint); // only when given: sessions choose chat themselves
    }
    p.put("llm.rounds", Integer.toString(rounds));
    p.put("llm.connections", connections);
    p.put("llm.metricsInterval", Integer.toString(metricsIntervalMs));
    p.put("llm.progress", "true");
    if (!gatlingConsole) {
      p.put("gatling.data.writers.0", "file"); // Gatling's writers without its console one
    }
    p.put("llm.timeout", Integer.toString(timeout));
    p.put("llm.percentiles", percentiles);
    p.put("llm.seed", Long.toString(seed));
    putIfGiven(p, "llm.requestRate", requestRate);
    putIfGiven(p, "llm.input", inputLen);
    putIfGiven(p, "llm.output", outputLen);
    putIfGiven(p, "llm.burstiness", burstiness);
    putIfGiven(p, "llm.maxConcurrency", maxConcurrency);
    putIfGiven(p, "llm.numPrompts", numPrompts);
    putIfGiven(p, "llm.prefixLen", prefixLen);
    putIfGiven(p, "llm.dataset", dataset);
    putIfGiven(p, "llm.turns", turns);
    putIfGiven(p, "llm.thinkTimeMs", thinkTimeMs);
    if (flushCache) {
      p.put("llm.flushCache", "true");
    }
    putIfGiven(p, "llm.numPrefixes", numPrefixes);
    p.put("llm.out", out.toString());
    p.put("llm.gatlingResults", gatlingResults.toString());
    p.put("llm.mock", "false"); // the sweep's own mock (if any) serves every profile
    p.put("llm.exitOnError", "false");
    if (image != null) {
      p.put("llm.imageWidth", Integer.toString(image.width()));
      p.put("llm.imageHeight", Integer.toString(image.height()));
      p.put("llm.imageFormat", image.format().name().toLowerCase(Locale.ROOT));
    }
    if (goodput != null) {
      p.put("llm.goodput", goodput);
    }
    return p;
  }

  /** The option of each setting a workload profile may set. */
  private static final Map<String, String> OPTION_OF = Map.ofEntries(Map.entry("llm.requestRate", "--request-rate"),
      Map.entry("llm.burstiness", "--burstiness"), Map.entry("llm.maxConcurrency", "--max-concurrency"),
      Map.entry("llm.numPrompts", "--num-prompts"), Map.entry("llm.rounds", "--rounds"),
      Map.entry("llm.dataset", "--dataset"), Map.entry("llm.prefixLen", "--prefix-len"),
      Map.entry("llm.numPrefixes", "--num-prefixes"), Map.entry("llm.turns", "--turns"),
      Map.entry("llm.thinkTimeMs", "--think-time-ms"), Map.entry("llm.endpoint", "--endpoint"));

  /** A profile's own setting wins over the command line's: an option that would lose is an error, not ignored. */
  private void refuseOptionsTheFileSets(llmbench.workload.Workload.Entry e) {
    for (String key : e.settings().keySet()) {
      String option = OPTION_OF.get(key);
      if (option != null && spec != null && spec.commandLine().getParseResult().hasMatchedOption(option)) {
        throw new IllegalArgumentException(workload + ": profile " + e.profile().name() + " sets " + option.substring(2)
            + " itself: leave out " + option + " (or the key in the file)");
      }
    }
  }

  /** The search's settings, checked before anything starts; null without --find-capacity. */
  private record CapacityOptions(llmbench.capacity.SloTargets slo, llmbench.capacity.CapacitySearch.Settings search) {}

  private CapacityOptions checkCapacityOptions() {
    if (!findCapacity) {
      for (Object[] o : new Object[][] {{"--slo", slo}, {"--max-load", maxLoad}, {"--resume", resume ? true : null}}) {
        if (o[1] != null) {
          throw new IllegalArgumentException(o[0] + " belongs to a capacity search: give --find-capacity too");
        }
      }
      return null;
    }
    if (requestRate != null || numPrompts != null) {
      throw new IllegalArgumentException("--find-capacity chooses the loads itself: leave out --request-rate and "
          + "--num-prompts (use --by rate, --max-load, --min-requests)");
    }
    if (profiles == null) {
      profiles = List.of(vision ? "vision2" : "low");
    }
    if (profiles.size() != 1) {
      throw new IllegalArgumentException("--find-capacity searches one profile: give one in --profiles, not " + profiles);
    }
    llmbench.capacity.CapacitySearch.By b = switch (by) {
      case "concurrency" -> llmbench.capacity.CapacitySearch.By.CONCURRENCY;
      case "rate" -> llmbench.capacity.CapacitySearch.By.RATE;
      default -> throw new IllegalArgumentException("--by must be concurrency or rate, not '" + by + "'");
    };
    double max = maxLoad != null ? maxLoad : b == llmbench.capacity.CapacitySearch.By.CONCURRENCY ? 256 : 128;
    if (b == llmbench.capacity.CapacitySearch.By.CONCURRENCY && (max < 1 || max != Math.rint(max))) {
      throw new IllegalArgumentException("--max-load for a concurrency search is a whole number of users >= 1");
    }
    if (minRequests < 1 || maxProbes < 2) {
      throw new IllegalArgumentException("--min-requests must be >= 1 and --max-probes >= 2");
    }
    return new CapacityOptions(llmbench.capacity.SloTargets.parse(slo),
        new llmbench.capacity.CapacitySearch.Settings(b, Math.min(1, max), max, 0.1, maxProbes, 0.1, 1));
  }

  /** The search, each probe one Gatling run of the profile's simulation; 0 when it found its answer. */
  private int findCapacity(CapacityOptions c, Map<String, String> props, Discovery.Result found) {
    String profile = profiles.get(0);
    String notFit = Profile.named(profile).doesNotFit(found.maxModelLen());
    if (notFit != null) {
      System.err.println("error: profile " + profile + " cannot run: " + notFit);
      return 1;
    }
    String simulation = simulationOf(profile);
    llmbench.capacity.CapacityRun.Plan plan = new llmbench.capacity.CapacityRun.Plan(c.search(), c.slo(), minRequests,
        seed, out);
    try {
      llmbench.capacity.CapacitySearch.Answer a = llmbench.capacity.CapacityRun.run(plan, props, probe -> {
        probe.forEach(System::setProperty);
        System.clearProperty("llm.lastError");
        try {
          int status = launcher.run(simulation, gatlingResults);
          String error = System.getProperty("llm.lastError");
          if (error != null || status != 0) {
            throw new IllegalStateException(error != null ? error : "Gatling exited with status " + status);
          }
        } finally {
          probe.keySet().forEach(System::clearProperty); // a probe's level is not the next run's (one JVM)
        }
      }, System.out);
      Path page = llmbench.report.html.CapacityPage.write(a, c.slo(), out);
      System.out.println("capacity page: " + page);
      return 0;
    } catch (Exception e) {
      System.out.println("the capacity search stopped: " + e.getMessage() + "; the probes measured so far are in "
          + out.resolve("probes") + " (--resume continues from them)");
      return 1;
    }
  }

  private String simulationOf(String profile) {
    return vision ? "VisionProfile" + profile.substring("vision".length())
        : Character.toUpperCase(profile.charAt(0)) + profile.substring(1) + "Load";
  }

  private static void putIfGiven(Map<String, String> p, String key, Object value) {
    if (value != null) {
      p.put(key, value.toString());
    }
  }

  private volatile boolean finished;

  /** Writes mem_usage.txt and the summary from whatever results exist; stops the sampler and the mock. */
  private synchronized void finish(GpuSampler sampler, MockServer server) {
    if (finished) {
      return;
    }
    finished = true;
    try {
      sampler.close();
      List<JsonNode> results = findCapacity ? probeResults(out) : readResults(out);
      List<MemUsage.Window> windows = results.stream().map(MemUsage.Window::of).toList();
      Files.writeString(out.resolve("mem_usage.txt"), MemUsage.render(sampler.unavailable(), gpuIntervalMs,
          sampler.samples(), windows, sampler.processSnapshots()));
      Map<String, Double> peaks = MemUsage.peakPerWindow(sampler.samples(), windows);
      List<SweepSummary.Row> rows = new ArrayList<>();
      for (JsonNode r : results) {
        rows.add(new SweepSummary.Row(r, peaks.get(r.path("profile").asText() + " " + r.path("level").asText())));
      }
      Files.writeString(out.resolve("summary.csv"), SweepSummary.csv(rows));
      String md = SweepSummary.markdown(rows);
      Files.writeString(out.resolve("summary.md"), md);
      copyGatlingReports(results);
      mergeServerMetrics(results);
      llmbench.server.GpuSamplesCsv.write(out.resolve(llmbench.server.GpuSamplesCsv.FILE_NAME), sampler.samples());
      System.out.println("\n=== sweep summary (" + out.resolve("summary.md") + ") ===\n" + md);
      writeReport(out, results);
    } catch (IOException | RuntimeException e) {
      System.err.println("error: could not write the summary: " + e.getMessage());
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /** The profiles' server_metrics.csv as one file for the sweep, each level named with its profile. */
  private void mergeServerMetrics(List<JsonNode> results) throws IOException {
    List<TelemetryCsv.Scrape> all = new ArrayList<>();
    Map<String, String> profileOfRun = new LinkedHashMap<>();
    results.forEach(r -> profileOfRun.putIfAbsent(r.path("gatling_run").asText(), r.path("profile").asText()));
    for (Map.Entry<String, String> run : profileOfRun.entrySet()) {
      for (TelemetryCsv.Scrape s : TelemetryCsv.read(out.resolve("gatling").resolve(run.getKey())
          .resolve(MetricsScraper.FILE_NAME))) {
        all.add(new TelemetryCsv.Scrape(s.epochMs(), s.level().isEmpty() ? "" : run.getValue() + " " + s.level(),
            s.event(), s.values()));
      }
    }
    if (!all.isEmpty()) {
      TelemetryCsv.write(out.resolve(MetricsScraper.FILE_NAME), all);
    }
  }

  /** report.html and its PNG charts; a failure here costs the report only, never the results. */
  private static void writeReport(Path out, List<JsonNode> results) {
    if (results.isEmpty()) {
      return;
    }
    try {
      ReportModel model = ReportModel.of(out, results);
      Path page = ReportPage.write(model, out);
      ReportCharts.write(model, out);
      ReportCharts.writeTimelineCsv(model, out);
      System.out.println("report: " + page + " (charts also as " + out.resolve("report_*.png") + ")");
    } catch (IOException | RuntimeException e) {
      System.err.println("error: could not write the HTML report: " + e);
    }
  }

  /**
   * A profile stopped before its simulation ended (Ctrl-C) leaves its token timings beside Gatling's
   * run folders: turn them into results too, so that no finished level is lost.
   */
  private void salvagePendingTimings() {
    try (Stream<Path> files = Files.list(gatlingResults)) {
      for (Path timings : files.filter(p -> p.getFileName().toString().matches("\\.llmbench-.*\\.jsonl")).toList()) {
        String tag = timings.getFileName().toString().replace(".jsonl", "");
        Path info = gatlingResults.resolve(tag + ".json");
        if (!Files.isRegularFile(info)) {
          continue;
        }
        Path dir = Files.createDirectories(gatlingResults.resolve("interrupted" + tag));
        Files.move(timings, dir.resolve(llmbench.trace.TraceFiles.FILE_NAME));
        Files.move(info, dir.resolve(llmbench.report.RunInfo.FILE_NAME));
        Path clientLog = gatlingResults.resolve(tag + "-client.log");
        if (Files.isRegularFile(clientLog)) {
          Files.move(clientLog, dir.resolve("client.log"));
        }
        Path metrics = gatlingResults.resolve(tag + "-metrics.csv");
        if (Files.isRegularFile(metrics)) {
          Files.move(metrics, dir.resolve(llmbench.telemetry.MetricsScraper.FILE_NAME));
        }
        try (TextTokenizer tok = TextTokenizer.loadOrBuiltin(tokenizerDir())) {
          llmbench.report.PostProcessor.process(dir, out, System.out, tok::countText);
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("error: could not save the interrupted profile's timings: " + e.getMessage());
    }
  }

  /** A capacity search's probe results (probes/<level>/), in the order they ran. */
  static List<JsonNode> probeResults(Path out) throws IOException {
    List<JsonNode> all = new ArrayList<>();
    Path probes = out.resolve("probes");
    if (Files.isDirectory(probes)) {
      try (Stream<Path> dirs = Files.list(probes)) {
        for (Path d : dirs.filter(Files::isDirectory).toList()) {
          all.addAll(readResults(d));
        }
      }
    }
    all.sort(Comparator.comparingLong(n -> n.path("level_start_epoch_ms").asLong()));
    return all;
  }

  /** This run's level results in the output folder, in the order they ran. */
  public static List<JsonNode> readResults(Path out) throws IOException {
    return llmbench.report.ResultFiles.read(out);
  }

  /** Gatling's HTML reports of this run, copied under the output folder so it travels whole. */
  private void copyGatlingReports(List<JsonNode> results) throws IOException {
    for (String run : results.stream().map(r -> r.path("gatling_run").asText()).distinct().toList()) {
      Path src = gatlingResults.resolve(run);
      Path dst = out.resolve("gatling").resolve(run);
      if (Files.isDirectory(src) && !Files.exists(dst)) {
        try (Stream<Path> walk = Files.walk(src)) {
          for (Path p : walk.toList()) {
            Path t = dst.resolve(src.relativize(p).toString());
            if (Files.isDirectory(p)) {
              Files.createDirectories(t);
            } else {
              Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
            }
          }
        }
      }
    }
  }

  private Path tokenizerDir() {
    return tokenizer != null ? tokenizer : TextTokenizer.DEFAULT_DIR;
  }

  /** "512 512" → a spec; anything else is a usage error with a one-line reason. */
  static NoiseImages.Spec imageSpec(List<String> size, String format) {
    if (size.size() == 1) {
      throw new IllegalArgumentException("give both IM_WIDTH and IM_HEIGHT (e.g. 512 512), not only " + size.get(0));
    }
    int[] wh = {512, 512};
    for (int i = 0; i < size.size(); i++) {
      try {
        wh[i] = Integer.parseInt(size.get(i));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("image size '" + size.get(i) + "' is not a whole number of pixels");
      }
    }
    return new NoiseImages.Spec(wh[0], wh[1], NoiseImages.Format.parse(format));
  }

  /**
   * Moves every earlier result in {@code out} to {@code archive/<date>/}; null if none. Leaves
   * archive/, the README and vision_WxH/ folders (another sweep's results) where they are.
   */
  static Path archivePreviousRun(Path out) throws IOException {
    List<Path> old;
    try (Stream<Path> files = Files.list(out)) {
      old = files.filter(p -> {
        String n = p.getFileName().toString();
        return !n.equals("archive") && !n.equals("README.md") && !n.startsWith("vision_");
      }).toList();
    }
    if (old.isEmpty()) {
      return null;
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
    Path dir = out.resolve("archive").resolve(stamp);
    for (int i = 1; Files.exists(dir); i++) {
      dir = out.resolve("archive").resolve(stamp + "-" + i);
    }
    Files.createDirectories(dir);
    for (Path p : old) {
      Files.move(p, dir.resolve(p.getFileName()));
    }
    return dir;
  }
}
