package llmbench.capacity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The largest load that meets every target: double the load from {@code start} until a probe breaks
 * a target (or the largest load allowed is met), then bisect between the last load that met and the
 * first that broke until they are one search step apart (one user, or {@code resolution} of the load
 * when that is more), in at most {@code maxProbes} measurements. The deciding probes are repeated
 * when a value sits within the noise margin of its limit, and the answer says how sure it is.
 * Deterministic given the verdicts: a resumed search asks for the same loads in the same order, and
 * the prober answers those it already measured from their files.
 */
public final class CapacitySearch {
  public enum By { CONCURRENCY, RATE }

  /**
   * @param resolution the search step as a share of the load (0.1: stop when the limit is known within 10 %)
   * @param noise a value within this share of its limit is "close" (0.1 = ±10 %)
   * @param repeats measurements more of a close deciding probe
   */
  public record Settings(By by, double start, double maxLoad, double resolution, int maxProbes, double noise,
      int repeats) {
    public Settings {
      if (!(start > 0) || !(maxLoad >= start) || !(resolution > 0) || maxProbes < 2 || noise < 0 || repeats < 0) {
        throw new IllegalArgumentException("capacity search: need 0 < start <= max load, resolution > 0, at least 2 probes");
      }
      if (by == By.CONCURRENCY && (start != Math.rint(start) || maxLoad != Math.rint(maxLoad))) {
        throw new IllegalArgumentException("a concurrency search starts and ends at whole numbers of users");
      }
    }
  }

  /** Measures (or finds the earlier measurement of) a load; {@code repeat} 0 is its first. */
  public interface Prober {
    Probe probe(double load, int repeat) throws Exception;
  }

  /**
   * What the search found.
   *
   * @param largestMet null when even the smallest load broke a target
   * @param smallestBroken null when the largest load allowed met every target
   * @param firstBroken the targets broken at the smallest load that broke any (and failures)
   * @param confidence how sure: "clear", "confirmed by a repeat", or why not
   */
  public record Answer(By by, String slo, Double largestMet, Double smallestBroken, List<String> firstBroken,
      String confidence, String summary, Map<String, Object> serverAtLimit, List<Probe> probes, boolean probeLimitHit) {}

  private final Settings settings;
  private final Prober prober;
  private final List<Probe> probes = new ArrayList<>();
  private final Map<Double, Probe> first = new LinkedHashMap<>();

  public CapacitySearch(Settings settings, Prober prober) {
    this.settings = settings;
    this.prober = prober;
  }

  public Answer run(SloTargets slo) throws Exception {
    Double lo = null;
    Double hi = null;
    double load = settings.start();
    boolean limitHit = false;
    while (true) {
      if (first.size() >= settings.maxProbes()) {
        limitHit = true;
        break;
      }
      Probe p = measure(load, 0);
      if (p.met()) {
        lo = load;
        if (load >= settings.maxLoad()) {
          break; // met at the largest load allowed: no limit below it
        }
      } else {
        hi = load;
        if (lo == null && load <= settings.start()) {
          break; // even the first load broke a target
        }
      }
      if (lo != null && hi != null && resolved(lo, hi)) {
        break;
      }
      // here lo is set: the start met, or a later load broke with an earlier one met
      load = hi == null ? Math.min(settings.maxLoad(), lo * 2) : between(lo, hi);
    }
    String confidence = confirm(lo, hi);
    return answer(slo, lo, hi, confidence, limitHit);
  }

  private Probe measure(double load, int repeat) throws Exception {
    Probe p = prober.probe(load, repeat);
    probes.add(p);
    if (repeat == 0) {
      first.put(load, p);
    }
    return p;
  }

  private boolean resolved(double lo, double hi) {
    double step = Math.max(settings.by() == By.CONCURRENCY ? 1 : 0, settings.resolution() * lo);
    return hi - lo <= step + 1e-9;
  }

  private double between(double lo, double hi) {
    double mid = (lo + hi) / 2;
    return settings.by() == By.CONCURRENCY ? Math.floor(mid) : mid;
  }

  /** Repeats a deciding probe whose values sit near their limits; says whether the repeats agree. */
  private String confirm(Double lo, Double hi) throws Exception {
    List<String> doubts = new ArrayList<>();
    boolean repeated = false;
    for (Double load : new Double[] {lo, hi}) {
      if (load == null || !first.get(load).close()) {
        continue;
      }
      boolean verdict = first.get(load).met();
      for (int r = 1; r <= settings.repeats(); r++) {
        repeated = true;
        Probe again = measure(load, r);
        if (again.met() != verdict) {
          doubts.add(first.get(load).label() + " " + (verdict ? "met" : "broke") + " the targets once and "
              + (again.met() ? "met" : "broke") + " them on a repeat");
        }
      }
      if (settings.repeats() == 0) {
        doubts.add(first.get(load).label() + " sits within " + Math.round(settings.noise() * 100)
            + " % of a limit and was not repeated");
      }
    }
    if (!doubts.isEmpty()) {
      return "uncertain: " + String.join("; ", doubts) + " (the limit is within the server's noise there)";
    }
    return repeated ? "confirmed by a repeat" : "clear (no deciding probe within "
        + Math.round(settings.noise() * 100) + " % of a limit)";
  }

  private Answer answer(SloTargets slo, Double lo, Double hi, String confidence, boolean limitHit) {
    List<String> firstBroken = List.of();
    Probe smallestBreak = null;
    for (Probe p : first.values()) {
      if (!p.met() && (smallestBreak == null || p.load() < smallestBreak.load())) {
        smallestBreak = p;
      }
    }
    if (smallestBreak != null) {
      firstBroken = smallestBreak.broken();
    }
    String unit = settings.by() == By.CONCURRENCY ? "concurrent requests" : "req/s";
    String summary;
    Map<String, Object> atLimit = new LinkedHashMap<>();
    if (lo == null) {
      summary = "no load met every target: the smallest probed, " + fmt(hi) + " " + unit + ", broke "
          + String.join(", ", firstBroken);
    } else if (hi == null) {
      summary = fmt(lo) + " " + unit + " met every target and is the largest load allowed (--max-load): the "
          + "capacity is at least that; no limit was found below it";
    } else {
      summary = "capacity: " + fmt(lo) + " " + unit + " met every target; " + fmt(hi) + " broke "
          + String.join(", ", first.get(hi).broken());
    }
    if (limitHit) {
      summary += " (stopped after " + settings.maxProbes() + " probes: the limit is between the loads above)";
    }
    if (hi != null) {
      atLimit.put("load", hi);
      atLimit.putAll(first.get(hi).server());
    }
    return new Answer(settings.by(), slo.toString(), lo, hi, firstBroken, confidence, summary, atLimit,
        List.copyOf(probes), limitHit);
  }

  /** The server's gauges at the limit, as the console and the page write them. */
  public static String describeServer(Map<String, Object> atLimit) {
    return String.join(", ", atLimit.entrySet().stream().filter(e -> !e.getKey().equals("load"))
        .map(e -> e.getKey().replace("server_", "").replace("_pct", " %").replace("_ms", " ms").replace('_', ' ')
            + " " + fmt((Double) e.getValue())).toList());
  }

  /** A load as the console and the page write it: 32, 11.31. */
  public static String fmt(Double v) {
    return v == null ? "-" : v == Math.rint(v) ? Long.toString(v.longValue()) : String.format(java.util.Locale.ROOT, "%.2f", v);
  }
}
