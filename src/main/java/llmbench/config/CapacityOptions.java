package llmbench.config;

import llmbench.capacity.CapacitySearch;
import llmbench.capacity.SloTargets;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/** The options of a capacity search ({@code --find-capacity}), a mixin of {@link RunOptions}. */
public final class CapacityOptions {
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

  /**
   * The search's settings; null without --find-capacity (then an option of the search is an error).
   *
   * @param loadsGiven --request-rate or --num-prompts was given: the search chooses the loads itself
   */
  Selection.Capacity toSearch(ParseResult given, boolean loadsGiven) {
    if (!findCapacity) {
      for (String o : new String[] {"--slo", "--max-load", "--resume", "--by", "--min-requests", "--max-probes"}) {
        if (given.hasMatchedOption(o)) {
          throw new IllegalArgumentException(o + " belongs to a capacity search: give --find-capacity too");
        }
      }
      return null;
    }
    if (loadsGiven) {
      throw new IllegalArgumentException("--find-capacity chooses the loads itself: leave out --request-rate and "
          + "--num-prompts (use --by rate, --max-load, --min-requests)");
    }
    CapacitySearch.By b = switch (by) {
      case "concurrency" -> CapacitySearch.By.CONCURRENCY;
      case "rate" -> CapacitySearch.By.RATE;
      default -> throw new IllegalArgumentException("--by must be concurrency or rate, not '" + by + "'");
    };
    double max = maxLoad != null ? maxLoad : b == CapacitySearch.By.CONCURRENCY ? 256 : 128;
    if (b == CapacitySearch.By.CONCURRENCY && (max < 1 || max != Math.rint(max))) {
      throw new IllegalArgumentException("--max-load for a concurrency search is a whole number of users >= 1");
    }
    if (!(max > 0)) {
      throw new IllegalArgumentException("--max-load must be > 0");
    }
    if (minRequests < 1 || maxProbes < 2) {
      throw new IllegalArgumentException("--min-requests must be >= 1 and --max-probes >= 2");
    }
    SloTargets targets;
    try {
      targets = SloTargets.parse(slo);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith("--slo") ? e.getMessage() : "--slo: " + e.getMessage());
    }
    return new Selection.Capacity(targets,
        new CapacitySearch.Settings(b, Math.min(1, max), max, 0.1, maxProbes, 0.1, 1), minRequests, resume);
  }
}
