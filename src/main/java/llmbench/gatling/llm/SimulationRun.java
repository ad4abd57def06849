package llmbench.gatling.llm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import llmbench.gatlinglog.SimulationLog;
import llmbench.prompt.TextTokenizer;
import llmbench.report.PostProcessor;
import llmbench.report.RunInfo;
import llmbench.trace.RequestRecord;
import llmbench.trace.TraceFiles;
import llmbench.trace.TraceSink;

/**
 * A user's simulation on the LLM protocol: every request's record goes into its Gatling run folder
 * (a file of its own while the run goes, joined to {@link TraceFiles#FILE_NAME} at its end, with
 * {@link RunInfo#FILE_NAME}), and when the run ends, vLLM's block and JSON file per request name
 * (within its groups) are made there, next to Gatling's report, as {@code ./postprocess.sh} makes them
 * again from the folder alone.
 */
public final class SimulationRun implements LlmRun {
  /** vLLM's metrics and the end-to-end latency; vLLM's default percentile and the median and p90 beside it. */
  static final List<String> METRICS = List.of("ttft", "tpot", "itl", "e2el");
  static final List<Double> PERCENTILES = List.of(50.0, 90.0, 99.0);

  private final LlmComponents components;
  private final String tag = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong ids = new AtomicLong();
  private final long startEpochMs = System.currentTimeMillis();
  private final Path root;
  private final Path knownFolder;
  private final Path records;
  private final TraceSink sink;

  /** The default: records through a {@link TraceSink} of their file. */
  public SimulationRun(LlmComponents components) {
    this(components, TraceSink::new);
  }

  /** @param sinks the writer of the records to a file (a test's may fail on purpose) */
  public SimulationRun(LlmComponents components, Function<Path, TraceSink> sinks) {
    this.components = components;
    this.root = components.protocol().resultsRoot() != null ? components.protocol().resultsRoot() : RunFolders.defaultRoot();
    this.knownFolder = RunFolders.openNow().orElse(null);
    try {
      // a file of its own while the run goes (a simulation may hold several LLM protocols), joined to
      // the run folder's records at the end
      Path dir = knownFolder != null ? knownFolder : Files.createDirectories(root);
      this.records = dir.resolve(".llmbench-" + tag + ".jsonl");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the LLM records under " + root + ": " + e.getMessage());
    }
    this.sink = sinks.apply(records);
    sink.onFailure(components::crash);
  }

  /** A request's key in the results: its groups, outermost first, then its name. */
  static String key(List<String> groups, String name) {
    return groups.isEmpty() ? name : String.join(" / ", groups) + " / " + name;
  }

  @Override
  public Context context(io.gatling.javaapi.core.Session session, String name, List<String> groups) {
    return new Context("", key(groups, name), 0, 0, 0, 0, 0, 0, 0);
  }

  @Override
  public void record(Supplier<RequestRecord> record) {
    sink.submit(record);
  }

  @Override
  public String nextId() {
    return tag + "-" + ids.incrementAndGet();
  }

  @Override
  public void end() {
    String failure = null;
    try {
      sink.close();
    } catch (RuntimeException e) {
      failure = e.getMessage(); // what was written before stays: its results are made below
    }
    try {
      Path dir = knownFolder != null ? knownFolder : RunFolders.find(root, null, startEpochMs - 5_000).orElse(null);
      if (dir == null) {
        System.out.println("the LLM protocol found no Gatling run folder under " + root + ": its token timings stay in "
            + records + " (llm.resultsFolder(...) names the folder Gatling writes to)");
        return;
      }
      Path all = dir.resolve(TraceFiles.FILE_NAME);
      try (var out = Files.newOutputStream(all, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        Files.copy(records, out);
      }
      Files.delete(records);
      RunInfo info = info(dir);
      info.write(dir.resolve(RunInfo.FILE_NAME));
      System.out.println("\nLLM results per request (token timings: " + dir.resolve(TraceFiles.FILE_NAME) + ")");
      Path tokenizerDir = components.protocol().tokenizer() != null ? components.protocol().tokenizer()
          : TextTokenizer.DEFAULT_DIR;
      try (LazyTokenizer tok = new LazyTokenizer(tokenizerDir)) {
        PostProcessor.process(new PostProcessor.Input(info, dir, null, List.of(), tok::countText, Set.of()), System.out);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("error: the LLM results could not be made: " + e.getMessage()
          + " (./postprocess.sh RUN_FOLDER makes them again from the run folder)");
    }
    if (failure != null) {
      System.err.println("error: " + failure);
    }
  }

  private RunInfo info(Path dir) throws IOException {
    SimulationLog.Run run = SimulationLog.readRun(dir.resolve("simulation.log"));
    String simulation = run.simulationClass();
    String name = simulation.substring(simulation.lastIndexOf('.') + 1);
    Path tok = components.protocol().tokenizer() != null ? components.protocol().tokenizer() : TextTokenizer.DEFAULT_DIR;
    return new RunInfo(name, simulation, components.settings().server().toString(), components.model(),
        TextTokenizer.hasTokenizer(tok) ? tok.toString() : "(none in " + tok + "/: usage counts only)",
        RunInfo.ANY_ENDPOINT, 0, run.startEpochMs(), METRICS, PERCENTILES, null, List.of(),
        Map.of(RunInfo.BY_REQUEST_KEY, true), null);
  }

  /** The tokenizer, loaded only when a record has no usage to count its output by. */
  private static final class LazyTokenizer implements AutoCloseable {
    private final Path dir;
    private TextTokenizer tok;

    LazyTokenizer(Path dir) {
      this.dir = dir;
    }

    synchronized int countText(String text) {
      if (tok == null) {
        tok = TextTokenizer.loadOrBuiltin(dir);
      }
      return tok.countText(text);
    }

    @Override
    public synchronized void close() {
      if (tok != null) {
        tok.close();
      }
    }
  }
}
