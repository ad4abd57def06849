package llmbench.capacity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import llmbench.results.LevelResult;
import llmbench.results.ResultFiles;
import llmbench.workload.Arrivals;
import llmbench.workload.LevelPlan;

/**
 * A capacity search as the sweep runs it: each probe is one normal level (a Gatling run of the
 * profile's simulation with one concurrency or one rate) whose results go to {@code probes/<label>/}
 * of the output folder, so a search that stops half-way keeps every probe, and a resumed one finds
 * them there instead of measuring them again. Writes capacity.json and prints the answer.
 */
public final class CapacityRun {
  public static final String FILE_NAME = "capacity.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Runs one probe as a level of the profile; its results go to {@code probe.dir()}. */
  public interface LevelRunner {
    void run(ProbeLevel probe) throws Exception;
  }

  /**
   * One probe's level: a concurrency with enough rounds, or a rate with enough prompts, for
   * {@code minRequests}; its own prompts (no probe finds another's in the server's prefix cache);
   * the percentiles and goodput limits its targets need.
   *
   * @param concurrency null for a rate probe
   * @param rate null for a concurrency probe
   */
  public record ProbeLevel(String label, int repeat, Path dir, long seed, Integer concurrency, int rounds, Double rate,
      int numPrompts, List<Double> percentiles, String goodput) {}

  /**
   * @param minRequests requests per probe at least (a P99 needs 100 to differ from the maximum)
   * @param seed the sweep's seed; each probe draws its prompts from its own seed derived from it
   */
  public record Plan(CapacitySearch.Settings search, SloTargets slo, int minRequests, long seed, Path out) {}

  private CapacityRun() {}

  public static CapacitySearch.Answer run(Plan plan, LevelRunner runner, PrintStream console) throws Exception {
    Path probes = Files.createDirectories(plan.out().resolve("probes"));
    java.util.TreeMap<Double, LevelResult> firsts = new java.util.TreeMap<>();
    CapacitySearch.Prober prober = (load, repeat) -> {
      String label = label(plan.search().by(), load);
      String name = label + (repeat == 0 ? "" : "-r" + repeat);
      Path dir = probes.resolve(name);
      List<LevelResult> found = Files.isDirectory(dir) ? ResultFiles.summaries(dir) : List.of();
      if (found.isEmpty()) {
        console.println("\n=== capacity probe " + name + " (" + describe(plan.search().by(), load) + ") ===");
        runner.run(level(plan, load, repeat, label, dir));
        found = ResultFiles.summaries(dir);
        if (found.isEmpty()) {
          throw new IllegalStateException("probe " + name + " left no result in " + dir + " (see the lines above)");
        }
      } else {
        console.println("probe " + name + ": measured earlier, " + dir);
      }
      LevelResult r = found.get(found.size() - 1);
      if (repeat == 0) {
        firsts.put(load, r);
      }
      Map.Entry<Double, LevelResult> below = firsts.lowerEntry(load);
      Probe p = Probe.judge(load, repeat, name, plan.out().relativize(resultFile(dir)).toString(), r, plan.slo(),
          plan.search().noise(), below == null ? null : below.getValue());
      console.println("probe " + name + ": " + (p.met() ? "met every target" : "broke " + String.join(", ", p.broken()))
          + " (" + values(p) + ")");
      return p;
    };
    CapacitySearch.Answer answer = new CapacitySearch(plan.search(), prober).run(plan.slo());
    write(plan, answer);
    print(plan, answer, console);
    return answer;
  }

  /** The probe's label: the level's own ({@code c032}, {@code r4}). */
  static String label(CapacitySearch.By by, double load) {
    return by == CapacitySearch.By.CONCURRENCY ? LevelPlan.label((int) load) : new Arrivals(load, 1, null).label();
  }

  private static String describe(CapacitySearch.By by, double load) {
    return by == CapacitySearch.By.CONCURRENCY ? "concurrency " + CapacitySearch.fmt(load)
        : CapacitySearch.fmt(load) + " req/s";
  }

  private static Path resultFile(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().reduce((a, b) -> b).orElse(dir);
    }
  }

  static ProbeLevel level(Plan plan, double load, int repeat, String label, Path dir) {
    long seed = plan.seed() * 1_000_003L + label.hashCode() * 31L + repeat;
    if (plan.search().by() == CapacitySearch.By.CONCURRENCY) {
      int c = (int) load;
      return new ProbeLevel(label, repeat, dir, seed, c, (plan.minRequests() + c - 1) / c, null, 0,
          plan.slo().percentiles(), plan.slo().goodputSpec());
    }
    return new ProbeLevel(label, repeat, dir, seed, null, 1, load, Math.max(plan.minRequests(), (int) Math.ceil(10 * load)),
        plan.slo().percentiles(), plan.slo().goodputSpec());
  }

  private static String values(Probe p) {
    List<String> v = new ArrayList<>();
    p.values().forEach((k, x) -> v.add(String.format(Locale.ROOT, "%s %.1f ms", k, x)));
    if (p.goodput() != null) {
      v.add(String.format(Locale.ROOT, "goodput %.2f req/s", p.goodput()));
    }
    return String.join(", ", v);
  }

  private static void write(Plan plan, CapacitySearch.Answer a) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("by", a.by().name().toLowerCase(Locale.ROOT));
    m.put("slo", a.slo());
    m.put("largest_load_met", a.largestMet());
    m.put("smallest_load_broken", a.smallestBroken());
    m.put("first_broken", a.firstBroken());
    m.put("confidence", a.confidence());
    m.put("summary", a.summary());
    m.put("server_at_limit", a.serverAtLimit());
    m.put("stopped_at_probe_limit", a.probeLimitHit());
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("start", plan.search().start());
    s.put("max_load", plan.search().maxLoad());
    s.put("resolution", plan.search().resolution());
    s.put("max_probes", plan.search().maxProbes());
    s.put("noise", plan.search().noise());
    s.put("repeats", plan.search().repeats());
    s.put("min_requests", plan.minRequests());
    s.put("seed", plan.seed());
    m.put("search", s);
    List<Map<String, Object>> probes = new ArrayList<>();
    for (Probe p : a.probes()) {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("probe", p.label());
      q.put("load", p.load());
      q.put("repeat", p.repeat());
      q.put("met", p.met());
      q.put("values_ms", p.values());
      q.put("broken", p.broken());
      q.put("close_to_a_limit", p.close());
      q.put("completed", p.completed());
      q.put("failed", p.failed());
      q.put("request_goodput", p.goodput());
      q.put("server", p.server());
      q.put("result", p.resultFile());
      probes.add(q);
    }
    m.put("probes", probes);
    JSON.writeValue(plan.out().resolve(FILE_NAME).toFile(), m);
  }

  private static void print(Plan plan, CapacitySearch.Answer a, PrintStream console) {
    console.println("\n=== capacity under " + a.slo() + " (by " + a.by().name().toLowerCase(Locale.ROOT) + ", "
        + a.probes().size() + " probes) ===");
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-10s %8s", "probe", "load"));
    plan.slo().targets().forEach(t -> head.append(String.format(Locale.ROOT, " %12s", t.name())));
    console.println(head.append(String.format(Locale.ROOT, " %7s %9s  %s", "failed", "goodput", "verdict")));
    for (Probe p : a.probes()) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-10s %8s", p.label(), CapacitySearch.fmt(p.load())));
      plan.slo().targets().forEach(t -> row.append(String.format(Locale.ROOT, " %12.1f", p.values().get(t.name()))));
      row.append(String.format(Locale.ROOT, " %7d %9s  %s", p.failed(),
          p.goodput() == null ? "" : String.format(Locale.ROOT, "%.2f", p.goodput()),
          p.met() ? "met" : "broke " + String.join(", ", p.broken())));
      console.println(row);
    }
    console.println(a.summary());
    if (!a.firstBroken().isEmpty()) {
      console.println("first broken: " + String.join(", ", a.firstBroken()) + " (at "
          + CapacitySearch.fmt(a.smallestBroken()) + ")");
    }
    console.println("how sure: " + a.confidence());
    if (a.serverAtLimit().size() > 1) {
      console.println("the server at " + CapacitySearch.fmt(a.smallestBroken()) + ": "
          + CapacitySearch.describeServer(a.serverAtLimit()));
    }
    console.println("capacity: " + plan.out().resolve(FILE_NAME));
  }
}
