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
import llmbench.compare.RunResults;
import llmbench.report.ResultFiles;
import llmbench.report.html.ComparePage;
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
  @Option(names = "--out", description = "Where the three files go (default: output/compare-<date>).")
  Path out;

  public static void main(String[] args) {
    System.exit(Cli.run(new CompareMain(), args));
  }

  @Override
  public Integer call() throws IOException {
    List<Gate.Limit> limits = failIf == null ? List.of() : Gate.parse(failIf);
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
    Comparison.Result result = Comparison.of(loaded);
    Path dir = out != null ? out : Path.of("output", "compare-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
    if (Files.exists(dir.resolve("compare.md"))) {
      throw new IllegalArgumentException(dir + " already holds a comparison: give another --out (nothing is overwritten)");
    }
    Files.createDirectories(dir);
    String md = CompareTables.markdown(result);
    Files.writeString(dir.resolve("compare.md"), md);
    Files.writeString(dir.resolve("compare.csv"), CompareTables.csv(result));
    ComparePage.write(result, "compare.md", dir);
    System.out.println("baseline " + loaded.get(0).name() + "; changes against it, judged on the per-request "
        + "samples at p < " + Comparison.ALPHA + " (compare.md says how):");
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

  /** The newest folder of RUN/archive/ that holds level results. */
  static Path newestArchived(Path run) throws IOException {
    Path archive = run.resolve("archive");
    if (!Files.isDirectory(archive)) {
      throw new IllegalArgumentException(archive + " does not exist: --baseline needs an earlier sweep archived there");
    }
    try (Stream<Path> dirs = Files.list(archive)) {
      for (Path d : dirs.filter(Files::isDirectory).sorted(Comparator.comparing(Path::toString).reversed()).toList()) {
        if (!ResultFiles.read(d).isEmpty()) {
          return d;
        }
      }
    }
    throw new IllegalArgumentException(archive + " holds no archived sweep with results");
  }
}
