package llmbench.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import llmbench.mock.MockConfig;
import llmbench.prompt.ImageMix;
import llmbench.prompt.NoiseImages;
import llmbench.prompt.TextTokenizer;
import llmbench.stats.Slo;
import llmbench.stats.VllmMetrics;
import llmbench.workload.Arrivals;
import llmbench.replay.TraceWindow;
import llmbench.workload.Dataset;
import llmbench.workload.Ramp;
import llmbench.workload.TracePlan;
import llmbench.workload.TraceSpec;
import llmbench.workload.LoadSpec;
import llmbench.workload.Shard;
import llmbench.workload.Workload;
import llmbench.workload.WorkloadSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Parameters;

/**
 * The options of {@code run_test.sh} and {@code run_vision_test.sh}, and their defaults: the one way
 * into a {@link RunConfig} ({@code -Dllm.*} is translated into these options by {@link LlmProperties}).
 * {@link #toConfig} checks everything, files included, before anything is archived, started or
 * written; a mistake is one line that names the option.
 */
@Command(sortOptions = false)
public final class RunOptions {
  private static final MockConfig.Builder MOCK = MockConfig.builder();

  @Option(names = "--workload", description = "A YAML or JSON file of named profiles (lengths or a dataset, "
      + "concurrency levels or request rates, rounds or prompts); --profiles picks among them (default: all).")
  Path workload;
  @Option(names = "--url", description = "Server base URL (default: $OPENAI_BASE_URL or http://localhost:8000).")
  String url;
  @Option(names = "--mock", description = "Start the built-in mock vLLM server for this run (no GPU needed).")
  boolean mock;
  @Option(names = "--ca-cert", paramLabel = "FILE", description = "An https server's CA certificate (PEM): its "
      + "certificate must chain to it (instead of the JVM's trust store) and name the host (default: the JVM's store).")
  Path caCert;
  @Option(names = "--header", paramLabel = "NAME:VALUE", description = "A header every request carries (repeat it "
      + "for more), e.g. X-Tenant:a; an Authorization-like value is never written anywhere.")
  List<String> headers;
  @Option(names = "--insecure", description = "Trust any certificate of an https server, as curl's -k (the API key "
      + "then goes to whoever answers).")
  boolean insecure;
  @Option(names = "--profiles", split = ",", description = "Profiles to run, in order "
      + "(default: high,medium,low; for run_vision_test.sh vision1,vision2).")
  List<String> profiles;
  @Parameters(arity = "0..2", paramLabel = "SIZE", description = "run_vision_test.sh only: IM_WIDTH IM_HEIGHT "
      + "of the noise image sent with every request (default: 512 512, at most " + NoiseImages.MAX_SIDE + ").")
  List<String> imageSize = new ArrayList<>();
  @Option(names = "--image-format", description = "run_vision_test.sh only: png (default) or jpeg (quality 75).")
  String imageFormat = "png";
  @Option(names = "--images-per-request", paramLabel = "K|A-B", description = "run_vision_test.sh only: images in "
      + "each request, K or a range drawn per request (default: 1).")
  String imagesPerRequest;
  @Option(names = "--image-sizes", paramLabel = "WxH[:WEIGHT],...", description = "run_vision_test.sh only: each "
      + "image's size drawn from these, by weight (as vLLM's --random-mm-bucket-config), instead of IM_WIDTH IM_HEIGHT.")
  String imageSizes;
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
  @Option(names = "--endpoint", description = "completions (default, as vLLM's random dataset), chat, responses "
      + "(/v1/responses, streamed typed events), embeddings (/v1/embeddings) or rerank (/v1/rerank): the last two are "
      + "measured end to end, as vLLM measures them.")
  String endpoint;
  @Option(names = "--batch-size", description = "With --endpoint embeddings: inputs per request; rerank: documents per "
      + "request, each of --input-len tokens (default: 1).")
  Integer batchSize;
  @Option(names = "--percentiles", description = "Percentiles to report (default: ${DEFAULT-VALUE}).")
  String percentiles = "99";
  @Option(names = "--percentile-metrics", description = "Metrics to report statistics of, as vLLM's "
      + "--percentile-metrics (default: ${DEFAULT-VALUE}).")
  String percentileMetrics = "ttft,tpot,itl,e2el";
  @Option(names = "--goodput", description = "SLOs for goodput, e.g. ttft:500,tpot:50 (ms).")
  String goodput;
  @Option(names = "--timeout", description = "Seconds a request may take, start to the end of its answer "
      + "(default: ${DEFAULT-VALUE}).")
  int timeout = 600;
  @Option(names = "--headers-timeout", description = "Seconds a request may wait for the response headers "
      + "(a server that never answers; default: --timeout).")
  Integer headersTimeout;
  @Option(names = "--chunk-timeout", description = "Seconds of silence a stream may have between two reads "
      + "(a server that stalls mid-answer; default: --timeout).")
  Integer chunkTimeout;
  @Option(names = "--input-len", description = "Input tokens per prompt instead of the profile's (all profiles).")
  Integer inputLen;
  @Option(names = "--output-len", description = "Output tokens per request instead of the profile's (all profiles).")
  Integer outputLen;
  @Mixin
  CapacityOptions capacity = new CapacityOptions();
  @Mixin
  StopOptions stop = new StopOptions();
  @Mixin
  RequestOptions requests = new RequestOptions();
  @Option(names = "--request-rate", paramLabel = "RATES", description = "Request-rate levels instead of concurrency "
      + "levels, e.g. 1,2,4,inf (req/s; inf = all at once), with vLLM's arrivals: gamma gaps, seeded.")
  String requestRate;
  @Option(names = "--burstiness", description = "Request-rate levels: the gamma shape; 1 = Poisson, < 1 burstier (default: 1).")
  Double burstiness;
  @Option(names = "--max-concurrency", description = "Request-rate levels: at most this many requests in flight.")
  Integer maxConcurrency;
  @Option(names = "--num-prompts", description = "Request-rate levels: requests per level (default: "
      + LoadSpec.DEFAULT_NUM_PROMPTS + ").")
  Integer numPrompts;
  @Option(names = "--ramp-up-strategy", description = "One level whose rate grows request by request, as vLLM's: "
      + "linear or exponential, from --ramp-up-start-rps to --ramp-up-end-rps over --num-prompts requests.")
  String rampUpStrategy;
  @Option(names = "--ramp-up-start-rps", description = "With --ramp-up-strategy: the first request's rate (req/s).")
  Double rampUpStartRps;
  @Option(names = "--ramp-up-end-rps", description = "With --ramp-up-strategy: the last request's rate (req/s).")
  Double rampUpEndRps;
  @Option(names = "--dataset", description = "random (default: exact-length random prompts), sharegpt:PATH "
      + "(vLLM's ShareGPT JSON, its filter, the reference completion's length as output unless --output-len), "
      + "jsonl:PATH (one {\"prompt\": ..., \"output_tokens\": N} or {\"messages\": [...]} per line), or a trace "
      + "replayed at its own times: mooncake:PATH, timed_trace:PATH (vLLM's), azure:PATH, burstgpt:PATH.")
  String dataset;
  @Option(names = "--trace-speedup", paramLabel = "X", description = "Trace replay: time runs X times faster; a list "
      + "gives one level each, e.g. 1,2,4 (default: 1).")
  String traceSpeedup;
  @Option(names = "--trace-start", description = "Trace replay: seconds after the trace's first entry where the slice "
      + "starts (default: 0).")
  Double traceStart;
  @Option(names = "--trace-end", description = "Trace replay: seconds after the trace's first entry where it ends "
      + "(default: the trace's end). --num-prompts keeps at most that many entries.")
  Double traceEnd;
  @Option(names = "--trace-block-size", description = "Trace replay: tokens per hash id (default: Mooncake 512, "
      + "timed_trace 16).")
  Integer traceBlockSize;
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
  @Option(names = "--mock-time-scale", description = "Mock only: simulated time per real time (default: ${DEFAULT-VALUE}).")
  double mockTimeScale = MOCK.timeScale;
  @Option(names = "--mock-max-model-len", description = "Mock only: its context length (default: ${DEFAULT-VALUE}).")
  int mockMaxModelLen = MOCK.maxModelLen;
  @Option(names = "--mock-max-num-seqs", description = "Mock only: requests it runs at once, as vLLM's --max-num-seqs "
      + "(default: ${DEFAULT-VALUE}).")
  int mockMaxNumSeqs = MOCK.maxNumSeqs;
  @Option(names = "--mock-run-drift", paramLabel = "SHARE", description = "Mock only: each run's (each --repeat's) "
      + "steps a factor within 1 ± this, e.g. 5%%, as a server differs from one run to the next (default: none).")
  String mockRunDrift;
  @Option(names = "--mock-seed", description = "Mock only: its seed (drift factors, step jitter): another seed, "
      + "another day of the same server (default: ${DEFAULT-VALUE}).")
  long mockSeed = MOCK.seed;
  @Option(names = "--mock-fault-rate", split = ",", paramLabel = "KIND=SHARE", description = "Mock only: random "
      + "faults, as ./mock_server.sh --fault-rate, e.g. 500=0.5 (kinds 429, 500, 503, error, drop, stall, slow-first, "
      + "invalid).")
  Map<String, Double> mockFaultRates = new java.util.HashMap<>();
  @Option(names = "--gatling-console", description = "Print Gatling's own console summary every 30 s as well "
      + "(off: a live line per level says where the sweep is).")
  boolean gatlingConsole;
  @Option(names = "--extra-body", paramLabel = "JSON|@FILE", description = "Fields every request carries beyond the "
      + "run's own, e.g. '{\"chat_template_kwargs\":{\"enable_thinking\":false}}' (a field the run sets is refused).")
  String extraBody;
  @Option(names = "--temperature", description = "Sampling temperature of every request (default: 0, as vLLM's "
      + "benchmark client).")
  Double temperature;
  @Option(names = "--top-p", description = "Sampling top_p of every request (default: the server's).")
  Double topP;
  @Option(names = "--top-k", description = "Sampling top_k of every request, -1 for all (default: the server's).")
  Integer topK;
  @Option(names = "--no-min-tokens", description = "Do not send min_tokens = max_tokens (sent by default to vLLM "
      + "and SGLang, so that stop ids that ignore_eos does not lift cannot shorten an output).")
  boolean noMinTokens;
  @Option(names = "--levels", split = ",", description = "Concurrency levels instead of the profile's, e.g. 1,8,32 "
      + "(all profiles).")
  List<Integer> levels;
  @Option(names = "--repeat", paramLabel = "N", description = "Run each profile's levels N times (each run its own "
      + "files: the seed's names for run 1, _run2... for the others) and report each level's spread over the runs: "
      + "mean, standard deviation, CV and a confidence interval (default: 1).")
  Integer repeat;
  @Option(names = "--cooldown", paramLabel = "S", description = "With --repeat: seconds the server rests between runs, "
      + "then until its /metrics shows nothing running or waiting (at most 60 s more) (default: 0).")
  Integer cooldown;
  @Option(names = "--confidence-level", paramLabel = "C", description = "With --repeat: the runs' confidence intervals "
      + "(Student's t), e.g. 0.95 or 95%% (default: 0.95).")
  String confidenceLevel;
  @Option(names = "--until-stable", paramLabel = "METRIC:PCT", description = "With --repeat N: stop repeating a profile "
      + "once every level's confidence interval of METRIC is within PCT %% of its mean (e.g. p99_ttft_ms:5), after N "
      + "runs at most.")
  String untilStable;
  @Option(names = "--warmup-requests", description = "Unmeasured requests sent together before a profile's levels "
      + "(default: ${DEFAULT-VALUE}).")
  int warmupRequests = 2;
  @Option(names = "--no-client-warmup", description = "Skip the client's own warm-up (streams from in-process "
      + "servers until its JIT settles, before the first profile).")
  boolean noClientWarmup;
  @Option(names = "--shard", paramLabel = "I/N", description = "Run shard I of N injectors of one sweep (each its "
      + "share of every level's users and requests; merge their --out folders with ./merge.sh). Needs --seed and "
      + "--coordinator.")
  String shard;
  @Option(names = "--shards", paramLabel = "N", description = "The same, this shard's index from JOB_COMPLETION_INDEX "
      + "(Kubernetes Indexed Job) or SLURM_PROCID (srun).")
  Integer shards;
  @Option(names = "--coordinator", paramLabel = "HOST:PORT", description = "With --shard: shard 0's address, where "
      + "the shards meet before each level (shard 0 listens on PORT).")
  String coordinator;
  @Option(names = "--barrier-timeout", description = "With --shard: seconds a level waits for shards that have not "
      + "arrived; it then starts without them and is marked partial (default: ${DEFAULT-VALUE}).")
  int barrierTimeout = 300;
  @Option(names = "--merge-into", paramLabel = "DIR", description = "With --shard, on a volume every shard writes "
      + "to: shard 0 waits for the others' results and merges them into DIR (as ./merge.sh does); the other shards "
      + "tell shard 0 where theirs are.")
  Path mergeInto;
  @Option(names = "--nvidia-smi", hidden = true, description = "nvidia-smi command (default: ${DEFAULT-VALUE}).")
  String nvidiaSmi = "nvidia-smi";
  @Option(names = "--gatling-results", hidden = true, description = "Gatling's results folder (default: ${DEFAULT-VALUE}).")
  Path gatlingResults = Path.of("target", "gatling");

  /** Profiles when none is named: the seed's (or, for a capacity search, the one it searches). */
  private static final List<String> TEXT = List.of("high", "medium", "low");
  private static final List<String> VISION = List.of("vision1", "vision2");

  /**
   * The run these options describe, checked whole.
   *
   * @param given what the user gave (an option given is never ignored, and one that a workload file also sets is refused)
   * @param liveLine the scripts' console (a live line per level) rather than Gatling's
   */
  public RunConfig toConfig(ParseResult given, boolean vision, boolean liveLine, Map<String, String> env) {
    if (!vision && !imageSize.isEmpty()) {
      throw new IllegalArgumentException("unexpected argument " + imageSize.get(0) + " (image sizes are for run_vision_test.sh)");
    }
    // a text run's workload file may hold a vision profile: it sends the default image
    ImageMix image = imageMix(vision);
    for (String option : List.of("--mock-time-scale", "--mock-max-model-len", "--mock-max-num-seqs", "--mock-run-drift",
        "--mock-seed", "--mock-fault-rate")) {
      if (!mock && given.hasMatchedOption(option)) {
        throw new IllegalArgumentException(option + " plays the built-in mock: add --mock (or give the same setting to "
            + "./mock_server.sh)");
      }
    }
    Selection.Capacity search = capacity.toSearch(given, requestRate != null || numPrompts != null);
    Workload file = null;
    if (workload != null) {
      try {
        file = Workload.read(workload);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage().startsWith("--workload") ? e.getMessage()
            : "--workload " + e.getMessage());
      }
    }
    if (file != null && search != null) {
      throw new IllegalArgumentException("--find-capacity searches one of the seed's profiles (or --input-len/--output-len): "
          + "leave out --workload");
    }
    Workload source = file != null ? file : Workload.defaults();
    List<String> allowed = file != null ? file.names() : vision ? VISION : TEXT;
    List<String> chosen = profiles != null ? profiles
        : search != null ? List.of(vision ? "vision2" : "low") : allowed;
    for (String p : chosen) {
      if (!allowed.contains(p)) {
        throw new IllegalArgumentException("unknown profile '" + p + "' in --profiles: use " + String.join(", ", allowed));
      }
    }
    if (search != null && chosen.size() != 1) {
      throw new IllegalArgumentException("--find-capacity searches one profile: give one in --profiles, not " + chosen);
    }
    TextTokenizer.requireGiven(tokenizer);
    Dataset.Spec data = Dataset.Spec.parse(dataset);
    checkDataset(data);
    TraceSpec trace = trace(given, data);
    Ramp ramp = ramp(given);
    long runSeed = seed != null ? seed : freshSeed();
    boolean chatAsked = Boolean.TRUE.equals(endpoint()) || vision || turns != null && turns > 1;
    WorkloadSpec w = new WorkloadSpec(inputLen, outputLen, endpoint(), data, prefixLen == null ? 0 : prefixLen,
        numPrefixes == null ? 1 : numPrefixes, turns == null ? 1 : turns, thinkTimeMs == null ? 0 : thinkTimeMs,
        runSeed, image, !noMinTokens, trace,
        requests.fields(llmbench.prompt.BodyFields.parse(extraBody, temperature, topP, topK), chatAsked),
        requests.adapters(runSeed, turns == null ? 1 : turns), api(vision), batchSize == null ? 1 : batchSize);
    LoadSpec load = new LoadSpec(levels, rounds, rates(given, data.trace() != null || ramp != null),
        burstiness == null ? 1.0 : burstiness, maxConcurrency,
        numPrompts == null ? LoadSpec.DEFAULT_NUM_PROMPTS : numPrompts, warmupRequests, ramp);
    if (data.trace() != null) {
      checkTrace(data, trace);
    }
    ServerConfig server = new ServerConfig(baseUrl(env), env.get("OPENAI_API_KEY"), model, positive(maxModelLen,
        "--max-model-len"), tokenizer, mock, flushCache, new llmbench.tls.Tls(caCert, insecure),
        llmbench.server.ExtraHeaders.parse(headers));
    ShardConfig shardConfig = shards(given, env);
    // Gatling names a run's folder by its start, to the millisecond: shards started together on one
    // machine (or one shared file system) would write into one folder
    Path results = shardConfig.shard().whole() || given.hasMatchedOption("--gatling-results") ? gatlingResults
        : gatlingResults.resolve("shard-" + shardConfig.shard().index());
    RunConfig config = new RunConfig(server, w, load, output(vision ? image : null, liveLine, results), client(), mockSettings(),
        new Selection(chosen, source, workload, vision, search), shardConfig, repeats(given), stop.toRules(given));
    if (file != null) {
      for (Workload.Entry e : config.selection().entries()) {
        for (String option : e.settings().options()) {
          if (given.hasMatchedOption(option)) {
            throw new IllegalArgumentException(workload + ": profile " + e.profile().name() + " sets "
                + option.substring(2) + " itself: leave out " + option + " (or the key in the file)");
          }
        }
        try {
          config.forProfile(e); // its checks, with the file's settings
          if (e.settings().dataset() != null) {
            checkDataset(e.settings().dataset());
            if (e.settings().dataset().trace() != null) {
              checkTrace(e.settings().dataset(), trace);
            }
          }
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException(workload + ": profile " + e.profile().name() + ": " + ex.getMessage());
        }
      }
    }
    return config;
  }

  /** Which shard this is: --shard I/N, or --shards N with the index from the engine's environment. */
  private ShardConfig shards(ParseResult given, Map<String, String> env) {
    if (shard != null && shards != null) {
      throw new IllegalArgumentException("--shard and --shards both say which shard this is: give one");
    }
    if (shard == null && shards == null) {
      for (String o : List.of("--coordinator", "--barrier-timeout", "--merge-into")) {
        if (given.hasMatchedOption(o)) {
          throw new IllegalArgumentException(o + " is for sharded runs: give --shard I/N or --shards N too");
        }
      }
      return ShardConfig.NONE;
    }
    Shard s = shard != null ? Shard.parse(shard) : Shard.fromEngine(shards, env);
    if (!s.whole() && seed == null) {
      throw new IllegalArgumentException("--shard needs --seed, the same on every shard (so that their requests are "
          + "one run's, split)");
    }
    Path output = out != null ? out : Path.of("output");
    if (mergeInto != null && mergeInto.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("--merge-into must be another folder than --out (" + output + ")");
    }
    return ShardConfig.of(s, coordinator, barrierTimeout, mergeInto);
  }

  /** A seed for a run that did not ask for one: a fresh one, so no run re-sends an earlier run's prompts. */
  public static long freshSeed() {
    return new java.security.SecureRandom().nextInt(Integer.MAX_VALUE - 1) + 1;
  }

  /** Responses, embeddings or rerank; null for completions or chat ({@link #endpoint()}). */
  private llmbench.workload.Endpoint api(boolean vision) {
    llmbench.workload.Endpoint e = endpoint == null ? null : llmbench.workload.Endpoint.parse(endpoint);
    if (e != null && e != llmbench.workload.Endpoint.COMPLETIONS && e != llmbench.workload.Endpoint.CHAT && vision) {
      throw new IllegalArgumentException("--endpoint " + endpoint + ": a vision run sends chat requests; leave it out");
    }
    return e == llmbench.workload.Endpoint.COMPLETIONS || e == llmbench.workload.Endpoint.CHAT ? null : e;
  }

  private Boolean endpoint() {
    if (endpoint == null) {
      return null;
    }
    return switch (llmbench.workload.Endpoint.parse(endpoint)) {
      case COMPLETIONS -> false;
      case CHAT -> true;
      default -> null;
    };
  }

  private static void checkDataset(Dataset.Spec data) {
    try {
      Dataset.check(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith("--dataset") ? e.getMessage()
          : "--dataset " + e.getMessage());
    }
  }

  private String baseUrl(Map<String, String> env) {
    String given = url != null ? url : env.getOrDefault("OPENAI_BASE_URL", "http://localhost:8000");
    String option = url != null ? "--url" : "OPENAI_BASE_URL";
    String base = given.trim().replaceAll("/+$", "").replaceAll("/v1$", "");
    try {
      URI u = new URI(base);
      if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
        throw new URISyntaxException(given, "not an http:// or https:// address with a host");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(option + " '" + given + "' is not a server address: give e.g. http://gpu-node:8000");
    }
    return base;
  }

  /**
   * @param openOtherwise a trace or a ramp makes the open-model levels: their options apply
   */
  private List<Double> rates(ParseResult given, boolean openOtherwise) {
    if (requestRate == null) {
      for (String o : List.of("--burstiness", "--max-concurrency", "--num-prompts")) {
        if (given.hasMatchedOption(o) && !openOtherwise) {
          throw new IllegalArgumentException(o + " applies to request-rate levels only: give --request-rate too");
        }
      }
      return null;
    }
    List<Double> out = new ArrayList<>();
    for (String r : requestRate.split("\\s*,\\s*")) {
      try {
        out.add(Arrivals.parseRate(r));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--request-rate: " + e.getMessage());
      }
    }
    if (out.stream().distinct().count() != out.size()) {
      throw new IllegalArgumentException("--request-rate lists a rate twice: '" + requestRate + "'");
    }
    return out;
  }

  /** A trace's replay settings; options for a trace without one are a mistake. */
  private TraceSpec trace(ParseResult given, Dataset.Spec data) {
    List<String> options = List.of("--trace-speedup", "--trace-start", "--trace-end", "--trace-block-size");
    if (data.trace() == null) {
      for (String o : options) {
        if (given.hasMatchedOption(o)) {
          throw new IllegalArgumentException(o + " is for trace replay: give --dataset mooncake:PATH (or timed_trace, "
              + "azure, burstgpt) too");
        }
      }
      return TraceSpec.NONE;
    }
    for (String o : List.of("--request-rate", "--levels", "--ramp-up-strategy", "--burstiness", "--rounds")) {
      if (given.hasMatchedOption(o)) {
        throw new IllegalArgumentException(o + ": a trace replay sends each entry at its own time; leave it out with "
            + "--dataset " + data.kind() + " (--trace-speedup scales time)");
      }
    }
    if (traceBlockSize != null && !data.trace().hasBlocks()) {
      throw new IllegalArgumentException("--trace-block-size: a " + data.kind() + " trace names no blocks (only "
          + "mooncake and timed_trace have hash_ids)");
    }
    List<Double> speedups = new ArrayList<>();
    for (String x : (traceSpeedup == null ? "1" : traceSpeedup).split("\\s*,\\s*")) {
      try {
        speedups.add(Double.parseDouble(x));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--trace-speedup: '" + x + "' is not a number (2 = twice as fast)");
      }
    }
    TraceWindow window = new TraceWindow(traceStart == null ? 0 : traceStart, traceEnd, numPrompts);
    return new TraceSpec(window, traceBlockSize, speedups);
  }

  /** Reads the trace's slice with all its checks, so that a bad line stops the run before anything is archived. */
  private static void checkTrace(Dataset.Spec data, TraceSpec trace) {
    try {
      TracePlan.check(data, trace);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--dataset " + e.getMessage());
    }
  }

  /** vLLM's ramp-up: all three options, or none. */
  private Ramp ramp(ParseResult given) {
    if (rampUpStrategy == null) {
      for (String o : List.of("--ramp-up-start-rps", "--ramp-up-end-rps")) {
        if (given.hasMatchedOption(o)) {
          throw new IllegalArgumentException(o + " needs --ramp-up-strategy linear or exponential");
        }
      }
      return null;
    }
    if (rampUpStartRps == null || rampUpEndRps == null) {
      throw new IllegalArgumentException("--ramp-up-strategy needs --ramp-up-start-rps and --ramp-up-end-rps");
    }
    if (requestRate != null) {
      throw new IllegalArgumentException("--request-rate: a ramp's rate goes from --ramp-up-start-rps to "
          + "--ramp-up-end-rps; leave it out");
    }
    return new Ramp(Ramp.Strategy.parse(rampUpStrategy), rampUpStartRps, rampUpEndRps,
        burstiness == null ? 1.0 : burstiness, maxConcurrency);
  }

  private OutputConfig output(ImageMix visionImage, boolean liveLine, Path gatlingResults) {
    if (gpuIntervalMs < 10) {
      throw new IllegalArgumentException("--gpu-interval-ms must be >= 10, not " + gpuIntervalMs);
    }
    if (metricsIntervalMs != 0 && metricsIntervalMs < 100) {
      throw new IllegalArgumentException("--metrics-interval-ms must be 0 (off) or at least 100, not " + metricsIntervalMs);
    }
    List<String> metrics = Arrays.asList(percentileMetrics.trim().split("\\s*,\\s*"));
    for (String m : metrics) {
      if (!VllmMetrics.DEFAULT_PERCENTILE_METRICS.contains(m)) {
        throw new IllegalArgumentException("--percentile-metrics: unknown metric '" + m + "' (use ttft,tpot,itl,e2el)");
      }
    }
    Slo slos;
    try {
      slos = Slo.parse(goodput);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--goodput: " + e.getMessage());
    }
    Path dir = out;
    String sub = Selection.imageFolder(visionImage);
    if (sub != null && (dir == null || dir.getFileName() == null || !dir.getFileName().toString().equals(sub))) {
      dir = (dir == null ? Path.of("output") : dir).resolve(sub); // vision results never mix with text or other sizes
    }
    return new OutputConfig(dir == null ? Path.of("output") : dir, gatlingResults, percentiles(), metrics, slos,
        metricsIntervalMs, gpuIntervalMs, nvidiaSmi, gatlingConsole, liveLine);
  }

  private List<Double> percentiles() {
    List<Double> p = new ArrayList<>();
    for (String s : percentiles.trim().split("\\s*,\\s*")) {
      try {
        double d = Double.parseDouble(s);
        if (d > 0 && d < 100) {
          p.add(d);
          continue;
        }
      } catch (NumberFormatException e) {
        // the message below
      }
      throw new IllegalArgumentException("--percentiles: '" + s + "' is not a percentile between 0 and 100");
    }
    return p;
  }

  private ClientConfig client() {
    boolean keepAlive = switch (connections) {
      case "keep-alive" -> true;
      case "per-request" -> false;
      default -> throw new IllegalArgumentException("--connections must be keep-alive or per-request, not '" + connections + "'");
    };
    return new ClientConfig(timeout, headersTimeout == null ? timeout : headersTimeout,
        chunkTimeout == null ? timeout : chunkTimeout, keepAlive, !noClientWarmup, requests.cancellation());
  }

  /** --repeat and its companions; a companion without --repeat (or a workload file's repeat:) is refused, never ignored. */
  private Repeats repeats(ParseResult given) {
    if (repeat == null && (cooldown != null || confidenceLevel != null)) {
      throw new IllegalArgumentException((cooldown != null ? "--cooldown" : "--confidence-level")
          + " applies to repeated runs: give --repeat N");
    }
    if (repeat != null && repeat < 1) {
      throw new IllegalArgumentException("--repeat must be 1 or more, not " + repeat);
    }
    double confidence = Repeats.ONCE.confidence();
    if (confidenceLevel != null) {
      confidence = llmbench.mock.MockOptions.share(confidenceLevel);
      if (!(confidence > 0 && confidence < 1)) {
        throw new IllegalArgumentException("--confidence-level must be within 0..1 exclusive (e.g. 0.95 or 95%), not '"
            + confidenceLevel + "'");
      }
    }
    if (cooldown != null && cooldown < 0) {
      throw new IllegalArgumentException("--cooldown must be 0 or more seconds, not " + cooldown);
    }
    Repeats.Stability stable = untilStable == null ? null : Repeats.Stability.parse(untilStable);
    int count = repeat != null ? repeat : stable != null ? Repeats.STABLE_DEFAULT_MAX : 1;
    if (stable != null && count < 2) {
      throw new IllegalArgumentException("--until-stable needs --repeat 2 or more (the most runs it may take), not " + count);
    }
    return new Repeats(count, java.time.Duration.ofSeconds(cooldown == null ? 0 : cooldown), confidence, stable, 1);
  }

  private MockSettings mockSettings() {
    if (!(mockTimeScale > 0)) {
      throw new IllegalArgumentException("--mock-time-scale must be > 0 (1 = real time, 0.1 = 10x faster), not " + mockTimeScale);
    }
    if (mockMaxModelLen < 1 || mockMaxNumSeqs < 1) {
      throw new IllegalArgumentException((mockMaxModelLen < 1 ? "--mock-max-model-len" : "--mock-max-num-seqs")
          + " must be a positive integer");
    }
    double drift = mockRunDrift == null ? 0 : llmbench.mock.MockOptions.fractionOrPercent("--mock-run-drift", mockRunDrift);
    return new MockSettings(mockTimeScale, mockMaxModelLen, mockMaxNumSeqs, drift, mockSeed,
        llmbench.mock.Faults.of("--mock-fault-rate", mockFaultRates, 5, 2000));
  }

  /** The images of each vision request: the seed's one of IM_WIDTH IM_HEIGHT, or a mix of sizes and counts. */
  private ImageMix imageMix(boolean vision) {
    for (String o : List.of("--images-per-request", "--image-sizes")) {
      if (!vision && (o.equals("--image-sizes") ? imageSizes : imagesPerRequest) != null) {
        throw new IllegalArgumentException(o + " is for run_vision_test.sh");
      }
    }
    if (imageSizes != null && !imageSize.isEmpty()) {
      throw new IllegalArgumentException("--image-sizes and IM_WIDTH IM_HEIGHT both give the image size: give one");
    }
    NoiseImages.Spec one = imageSpec(imageSize, imageFormat);
    if (imageSizes == null && imagesPerRequest == null) {
      return ImageMix.single(one);
    }
    NoiseImages.Format format;
    try {
      format = NoiseImages.Format.parse(imageFormat);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--image-format: " + e.getMessage());
    }
    return ImageMix.parse(imageSizes != null ? imageSizes : one.label(), imagesPerRequest != null ? imagesPerRequest : "1",
        format);
  }

  /** "512 512" → a spec; anything else is a usage error with a one-line reason. */
  static NoiseImages.Spec imageSpec(List<String> size, String format) {
    if (size.size() == 1) {
      throw new IllegalArgumentException("IM_WIDTH IM_HEIGHT: give both (e.g. 512 512), not only " + size.get(0));
    }
    int[] wh = {512, 512};
    for (int i = 0; i < size.size(); i++) {
      try {
        wh[i] = Integer.parseInt(size.get(i));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("IM_WIDTH IM_HEIGHT: image size '" + size.get(i)
            + "' is not a whole number of pixels");
      }
    }
    try {
      return new NoiseImages.Spec(wh[0], wh[1], NoiseImages.Format.parse(format));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException((e.getMessage().contains("format") ? "--image-format: "
          : "IM_WIDTH IM_HEIGHT: ") + e.getMessage());
    }
  }

  private static Integer positive(Integer v, String option) {
    if (v != null && v < 1) {
      throw new IllegalArgumentException(option + " must be a positive integer, not " + v);
    }
    return v;
  }
}
