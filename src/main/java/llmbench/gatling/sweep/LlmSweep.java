package llmbench.gatling.sweep;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;
import llmbench.config.ClientConfig;
import llmbench.config.LlmProperties;
import llmbench.config.RunConfig;
import llmbench.gatling.LlmDsl;
import llmbench.gatling.LlmProtocolBuilder;
import llmbench.run.ProfileJob;
import llmbench.run.ProfileOutcome;
import llmbench.run.ProfileRun;
import llmbench.server.ServerClient;
import llmbench.workload.Planner;
import llmbench.workload.Profile;
import llmbench.workload.ProfileSettings;
import llmbench.workload.Workload;

/**
 * A profile of the seed's sweep in the LLM DSL: its run's options (run_test.sh's, or {@code -Dllm.*}
 * under {@code mvn gatling:test}) over the profile the simulation states, the server found and checked,
 * each level's requests built before it starts, and the levels run one after the other, each drained:
 *
 * <pre>{@code
 * LlmSweep low = LlmSweep.profile("low", 100, 150);
 * ScenarioBuilder generate = scenario("low").feed(low.requests())
 *     .exec(llm("generate").post(low::path).body(ByteArrayBody(low::body)));
 * { setUp(low.levels(generate, 1, 4, 8, 16, 32)).protocols(low.protocol()); }
 * }</pre>
 *
 * The options may change the lengths ({@code --input-len}), the levels ({@code --levels}, or request
 * rates with {@code --request-rate}), the prompts (a dataset, shared prefixes, chat sessions) and the
 * server. Its results are the scripts' (vLLM's files in the output folder, the console's blocks).
 */
public final class LlmSweep {
  /** The feeder's key: the request the user sends next ({@link #body} makes its bytes). */
  public static final String REQUEST = "request";

  /** A request the feeder gave: its body (or a chat session's next user message) and, on a rate level, when it is due. */
  record Fed(byte[] body, String message, long dueNs, long readyNs) {}

  private final String simulation;
  private final long builtAtEpochMs = System.currentTimeMillis();
  private final String name;
  private final int inputLen;
  private final int outputLen;
  private final boolean vision;
  private final boolean fromFile;
  private final Profile given;
  private final boolean launched;
  private final RunConfig config;
  private final Workload.Entry fileEntry;
  private final ProfileJob job;
  private String notRun;
  private ProfileRun run;
  private Levels levels;

  private LlmSweep(String simulation, String name, int inputLen, int outputLen, boolean vision, boolean fromFile,
      Profile given) {
    this.simulation = simulation;
    this.name = name;
    this.inputLen = inputLen;
    this.outputLen = outputLen;
    this.vision = vision;
    this.fromFile = fromFile;
    this.given = given;
    ProfileJob handed = HandOver.take();
    this.launched = handed != null;
    RunConfig c = null;
    Workload.Entry e = null;
    try {
      c = handed != null ? handed.config() : LlmProperties.fromSystemProperties(vision);
      if (fromFile) {
        if (c.selection().workloadFile() == null) {
          throw new IllegalArgumentException(LlmProperties.named("WorkloadLoad needs --workload FILE (a YAML or JSON workload file)"));
        }
        e = handed != null ? handed.entry() : c.selection().entries().get(0);
      }
    } catch (IllegalArgumentException ex) {
      notRun = ex.getMessage(); // a user's mistake: one line, no stack trace
    }
    this.config = c;
    this.fileEntry = e;
    this.job = handed;
  }

  /** A text profile: prompts of {@code inputTokens} tokens, {@code outputTokens} out. */
  public static LlmSweep profile(String name, int inputTokens, int outputTokens) {
    return new LlmSweep(caller(), name, inputTokens, outputTokens, false, false, null);
  }

  /** A text profile whose prompts fill the server's context: {@code max_model_len} minus {@code outputTokens}. */
  public static LlmSweep contextFilling(String name, int outputTokens) {
    return new LlmSweep(caller(), name, 0, outputTokens, false, false, null);
  }

  /** A vision profile: {@code textTokens} of text and one noise image per request ({@code --image-*} options). */
  public static LlmSweep vision(String name, int textTokens, int outputTokens) {
    return new LlmSweep(caller(), name, textTokens, outputTokens, true, false, null);
  }

  /** A profile given whole (its levels too): a test's own. */
  public static LlmSweep of(Profile profile) {
    return new LlmSweep(caller(), profile.name(), profile.inputLen(), profile.outputLen(), profile.vision(), false,
        profile);
  }

  /** The profile that {@code --workload FILE} (and {@code --profiles NAME}) names: its levels are the file's. */
  public static LlmSweep workloadFile() {
    return new LlmSweep(caller(), null, 0, 0, false, true, null);
  }

  /** The simulation that made this sweep: its run folder is named for it. */
  private static String caller() {
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass).filter(c -> c != LlmSweep.class)
            .findFirst()).orElseThrow().getName();
  }

  /** The endpoint the plan chose for the profile's requests (chat for vision and {@code --endpoint chat}). */
  public String path(Session session) {
    return run.plan.path();
  }

  /**
   * The feeder of the level's requests, built before the level starts (exact-length prompts, a
   * dataset's, images...): a closed level's in turn, a rate level's in schedule order (each due at its
   * time), a chat session's next user message.
   */
  public Supplier<Iterator<Map<String, Object>>> requests() {
    return Levels.feeder(() -> levels.next());
  }

  /** The body of the request the feeder gave this user: as built, or a chat session's history and next message. */
  public byte[] body(Session session) {
    Fed fed = session.get(REQUEST);
    if (fed == null) {
      throw new IllegalStateException("no request was fed: the scenario must feed(sweep.requests()) before it sends");
    }
    if (fed.message() == null) {
      return fed.body();
    }
    ArrayNode history = session.get(Levels.HISTORY);
    return levels.level(session).sessionBody(history, fed.message());
  }

  /**
   * The profile's levels in turn, each a population of its users (the run's {@code --levels} or
   * {@code --request-rate} instead, when given), after the seed's warm-up; each level's users start
   * together and the next level starts once the last of them is done.
   *
   * @param users the profile's concurrency levels (none: the profile's own, a workload file's)
   */
  public PopulationBuilder levels(ScenarioBuilder scenario, int... users) {
    if (notRun != null) {
      return stopped(notRun);
    }
    Profile profile = profile(users);
    if (launched && !fromFile && !job.entry().profile().equals(profile)) {
      return stopped(simulation + " states " + describe(profile) + " but the sweep runs " + describe(job.entry().profile())
          + " (llmbench/workload/profiles.yaml): make them the same");
    }
    ProfileJob j = launched ? job
        : new ProfileJob(config, fromFile ? fileEntry : new Workload.Entry(profile, ProfileSettings.NONE), null, r -> { });
    try {
      run = new ProfileRun(j, simulation);
    } catch (Planner.PlanError | ServerClient.ServerError | IllegalArgumentException e) {
      return stopped(e.getMessage());
    }
    if (run.plan.skipped()) {
      System.out.println("skipped: " + run.plan.skippedReason());
      report(new ProfileOutcome.Skipped(run.plan.skippedReason()));
      run.stop();
      return scenario("skipped: " + run.plan.skippedReason()).exec(s -> s).injectOpen(atOnceUsers(1));
    }
    ClientWarmUp.runIfFirst(run.config.client().warmUp(), Levels.widest(run.plan));
    levels = new Levels(run, scenario);
    return levels.populations();
  }

  private Profile profile(int[] users) {
    if (fromFile) {
      return fileEntry.profile();
    }
    if (given != null) {
      return given;
    }
    return new Profile(name, inputLen, outputLen, Arrays.stream(users).boxed().toList(), vision);
  }

  private static String describe(Profile p) {
    return p.name() + " (" + (p.inputFromContext() ? "context" : Integer.toString(p.inputLen())) + " in, "
        + p.outputLen() + " out, levels " + p.levels() + (p.vision() ? ", vision" : "") + ")";
  }

  /**
   * The protocol of the run: its server, key, model and timeouts as the options say; the run's records,
   * levels and results are the sweep's ({@link SweepRun}).
   */
  public LlmProtocolBuilder protocol() {
    if (run == null || run.plan.skipped()) {
      return LlmDsl.llm.baseUrl("http://127.0.0.1:1"); // nothing is sent: the run stopped or was skipped
    }
    ClientConfig c = run.config.client();
    LlmProtocolBuilder p = LlmDsl.llm.baseUrl(run.plan.baseUrl()).apiKey(run.config.server().apiKey())
        .tls(run.config.server().tls()).headers(run.config.server().headers()).cancel(c.cancel())
        .model(run.plan.modelId()).keepAlive(c.keepAlive())
        .requestTimeout(Duration.ofSeconds(c.timeoutSeconds()))
        .headersTimeout(Duration.ofSeconds(c.headersTimeoutSeconds()))
        .chunkTimeout(Duration.ofSeconds(c.chunkTimeoutSeconds()))
        .resultsFolder(run.config.output().gatlingResults().toString());
    return p.run(components -> new SweepRun(this, run, levels, components));
  }

  /** The run cannot start: one line; under mvn gatling:test Gatling ends with status 1, else the launcher hears why. */
  private PopulationBuilder stopped(String why) {
    System.err.println("error: " + why);
    if (!launched) {
      throw NotRun.toGatlingsLauncher(why);
    }
    HandOver.report(new ProfileOutcome.NotRun(why));
    return scenario("not run").exec(s -> s).injectOpen(atOnceUsers(1));
  }

  void report(ProfileOutcome outcome) {
    if (launched) {
      HandOver.report(outcome);
    }
  }

  String simulation() {
    return simulation;
  }

  long builtAtEpochMs() {
    return builtAtEpochMs;
  }

}
