package llmbench.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * What a workload file's profile sets beyond its shape (each null when the file leaves it to the run):
 * the same settings as the options of the same names, which a profile's own value overrides.
 */
public record ProfileSettings(
    List<Double> requestRates,
    Double burstiness,
    Integer maxConcurrency,
    Integer numPrompts,
    Integer rounds,
    Dataset.Spec dataset,
    Integer prefixLen,
    Integer numPrefixes,
    Integer turns,
    Integer thinkTimeMs,
    Boolean chat,
    Integer repeat) {

  public static final ProfileSettings NONE = new ProfileSettings(null, null, null, null, null, null, null, null, null,
      null, null, null);

  /** The options whose values this profile sets (a run that also gives one is refused). */
  public List<String> options() {
    List<String> o = new ArrayList<>();
    add(o, requestRates, "--request-rate");
    add(o, burstiness, "--burstiness");
    add(o, maxConcurrency, "--max-concurrency");
    add(o, numPrompts, "--num-prompts");
    add(o, rounds, "--rounds");
    add(o, dataset, "--dataset");
    add(o, prefixLen, "--prefix-len");
    add(o, numPrefixes, "--num-prefixes");
    add(o, turns, "--turns");
    add(o, thinkTimeMs, "--think-time-ms");
    add(o, chat, "--endpoint");
    add(o, repeat, "--repeat");
    return o;
  }

  private static void add(List<String> out, Object value, String option) {
    if (value != null) {
      out.add(option);
    }
  }
}
