package llmbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import llmbench.compare.CompareTables;
import llmbench.compare.Comparison;
import llmbench.compare.Gate;
import llmbench.compare.Noise;
import llmbench.compare.RunResults;
import llmbench.compare.ComparePage;
import llmbench.results.ResultFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./compare.sh RUN_A RUN_B [RUN_C ...]}: which configuration is better, and a regression gate. */
@Command(name = "compare.sh", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Compares sweeps level by level against the first (RUN = an output folder, fresh or archived, "
        + "or vLLM's own --save-result JSON files): each metric's change, whether it is beyond the noise, the "
        + "engine parameters side by side. Writes compare.html, compare.md and compare.csv; exit status 1 when "
        + "--fail-if is broken, 2 for usage errors.",
    footer = {"%nExamples:", "  ./compare.sh output/archive/20261201-101500 output",
        "  ./compare.sh --baseline --fail-if 'p99_ttft_ms>+10%,output_throughput<-5%'",
        "  ./compare.sh output vllm-results/  --out /tmp/ours-vs-vllm"})
public final class CompareMain implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "RUN", description = "Runs to compare; the first is the baseline.")
  List<Path> runs = new ArrayList<>();
  @Option(names = "--baseline", description = "Compare RUN (default: output) against the newest sweep in its archive/.")
  boolean baseline;
  @Option(names = "--fail-if", paramLabel = "LIMITS", description = "e.g. 'p99_ttft_ms>+10%,output_throughput<-5%' "
      + "(relative with %, else absolute): exit 1, one line per breach, when a change beyond the noise crosses one.")
  String failIf;
  @Option(names = "--noise", paramLabel = "PCT", description = "The run-to-run noise (CV of one run's value, e.g. 5%) "
      + "to judge levels that ran once on a side against, instead of their within-run tests.")
  String noise;
  @Option(names = "--noise-from", paramLabel = "DIR", description = "Learn that noise from a sweep with --repeat N "
      + "(each level's CV over its runs; levels it lacks take the median).")
  Path noiseFrom;
  @Option(names = "--out", description = "Where the three files go (default: output/compare-<date>).")
  Path out;

  public static void main(String[] args) {
    System.exit(Cli.run(new CompareMain(), args));
  }

  @Override
  public Integer call() throws IOException {
    List<Gate.Limit> limits = failIf == null ? List.of() : Gate.parse(failIf);
    if (noise != null && noiseFrom != null) {
      throw new IllegalArgumentException("give --noise or --noise-from, not both");
    }
    Noise judgedAgainst = noise != null ? Noise.fixed(llmbench.mock.MockOptions.fractionOrPercent("--noise", noise))
        : noiseFrom != null ? Noise.learnt(RunResults.load(noiseFrom, "noise")) : Noise.NONE;
    List<Path> paths = new ArrayList<>(runs);
    if (baseline) {
      if (paths.size() > 1) {
        throw new IllegalArgumentException("--baseline takes one RUN (default: output), compared with its archive's newest");
      }
      Path current = paths.isEmpty() ? Path.of("output") : paths.get(0);
      paths = List.of(newestArchived(current), current);
    }
    if (paths.size() < 2) {
      throw new IllegalArgumentException("give two runs or more (or --baseline): e.g. ./compare.sh output/archive/DATE output");
    }
    List<RunResults> loaded = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Path p : paths) {
      String name = p.toAbsolutePath().normalize().getFileName().toString();
      String unique = name;
      for (int i = 2; !names.add(unique); i++) {
        unique = name + "#" + i;
      }
      loaded.add(RunResults.load(p, unique));
    }
    Comparison.Result result = Comparison.of(loaded, judgedAgainst);
    Path dir;
    if (out != null) {
      if (Files.exists(out.resolve("compare.md"))) {
        throw new IllegalArgumentException(out + " already holds a comparison: give another --out (nothing is overwritten)");
      }
      dir = Files.createDirectories(out);
    } else {
      dir = claimDefaultFolder();
    }
    String md = CompareTables.markdown(result);
    Files.writeString(dir.resolve("compare.md"), md);
    Files.writeString(dir.resolve("compare.csv"), CompareTables.csv(result));
    ComparePage.write(result, "compare.md", dir);
    System.out.println("baseline " + loaded.get(0).name() + "; changes against it, judged at p < " + Comparison.ALPHA
        + " (compare.md says how); " + result.noiseNote() + ":");
    System.out.print(CompareTables.console(result));
    result.unmatched().forEach(u -> System.out.println("no match: " + u));
    System.out.println("\nwritten: " + dir.resolve("compare.html") + ", compare.md, compare.csv");
    List<String> breaches = Gate.breaches(result, limits);
    breaches.forEach(b -> System.out.println("REGRESSION: " + b));
    if (!limits.isEmpty() && breaches.isEmpty()) {
      System.out.println("gate passed: " + failIf);
    }
    return breaches.isEmpty() ? Cli.OK : Cli.FAILED;
  }

  /**
   * {@code output/compare-<date>}, made here and now: a comparison started in the same second (a CI job
   * that compares twice) takes {@code -2}, {@code -3}..., never another's folder.
   */
  private static Path claimDefaultFolder() throws IOException {
    return claim(Path.of("output"),
        "compare-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
  }

  /** {@code parent/name}, or {@code name-2}, {@code name-3}... when taken: created, so that no one else takes it. */
  static Path claim(Path parent, String name) throws IOException {
    Files.createDirectories(parent);
    for (int i = 1; ; i++) {
      try {
        return Files.createDirectory(parent.resolve(name + (i == 1 ? "" : "-" + i)));
      } catch (java.nio.file.FileAlreadyExistsException taken) {
        // another comparison's: the next
      }
    }
  }

  /** The newest folder of RUN/archive/ that holds level results. */
  static Path newestArchived(Path run) throws IOException {
    Path archive = run.resolve("archive");
    if (!Files.isDirectory(archive)) {
      throw new IllegalArgumentException(archive + " does not exist: --baseline needs an earlier sweep archived there");
    }
    try (Stream<Path> dirs = Files.list(archive)) {
      for (Path d : dirs.filter(Files::isDirectory).sorted(Comparator.comparing(Path::toString).reversed()).toList()) {
        if (!ResultFiles.summaries(d).isEmpty()) {
          return d;
        }
      }
    }
    throw new IllegalArgumentException(archive + " holds no archived sweep with results");
  }
}
