package llmbench.capacity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import llmbench.report.html.Page;

/** capacity.html: each target's value at every probe against its limit, the answer and the probe table; offline. */
public final class CapacityPage {
  public static final String FILE_NAME = "capacity.html";

  record Target(String name, String limit) {}

  record ProbeRow(boolean met, String label, String load, int repeat, List<String> values, int failed, String goodput,
      String verdict, String result) {}

  /** What capacity.mustache reads. */
  record View(String summary, String confidence, String server, List<Target> targets, String unit, List<ProbeRow> probes) {}

  private CapacityPage() {}

  public static Path write(CapacitySearch.Answer a, SloTargets slo, Path out) throws IOException {
    return Page.write(out.resolve(FILE_NAME), render(a, slo));
  }

  static String render(CapacitySearch.Answer a, SloTargets slo) throws IOException {
    String unit = a.by() == CapacitySearch.By.CONCURRENCY ? "concurrency" : "request rate (req/s)";
    List<ProbeRow> rows = new ArrayList<>();
    for (Probe p : a.probes()) {
      List<String> values = new ArrayList<>();
      slo.targets().forEach(t -> values.add(String.format(Locale.ROOT, "%.1f", p.values().get(t.name()))));
      rows.add(new ProbeRow(p.met(), p.label(), CapacitySearch.fmt(p.load()), p.repeat(), values, p.failed(),
          p.goodput() == null ? "" : String.format(Locale.ROOT, "%.2f", p.goodput()),
          p.met() ? "met" : String.join("; ", p.broken()), p.resultFile()));
    }
    View view = new View(a.summary(), a.confidence(),
        a.serverAtLimit().isEmpty() ? null : CapacitySearch.describeServer(a.serverAtLimit()),
        slo.targets().stream().map(t -> new Target(t.name(), Probe.trim(t.limitMs()))).toList(), unit, rows);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("unit", unit);
    data.put("targets", slo.targets().stream().map(t -> Map.of("name", t.name(), "limit", t.limitMs())).toList());
    data.put("probes", a.probes().stream().map(p -> Map.of("load", p.load(), "met", p.met(), "values", p.values(),
        "label", p.label())).toList());
    return Page.render("Capacity under " + a.slo(), "tr.broken td { background: #fbd5d5; }", "capacity.mustache", view,
        data, "capacity.js");
  }
}
