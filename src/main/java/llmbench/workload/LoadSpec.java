package llmbench.workload;

import java.util.List;

/**
 * How the requests are sent: closed-model levels (users each sending {@code rounds} prompts back to
 * back, the profile's concurrencies unless {@code levels} is given) or request-rate levels (vLLM's
 * arrivals, {@code numPrompts} each), after {@code warmupRequests} unmeasured requests.
 *
 * @param levels concurrencies instead of the profile's; null for the profile's
 * @param requestRates null for closed-model levels
 * @param ramp one level whose rate grows (vLLM's ramp-up); null for none
 */
public record LoadSpec(
    List<Integer> levels,
    int rounds,
    List<Double> requestRates,
    double burstiness,
    Integer maxConcurrency,
    int numPrompts,
    int warmupRequests,
    Ramp ramp) {

  public static final int DEFAULT_NUM_PROMPTS = 200;

  public LoadSpec {
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be >= 1, not " + rounds);
    }
    if (numPrompts < 1) {
      throw new IllegalArgumentException("--num-prompts must be >= 1, not " + numPrompts);
    }
    if (warmupRequests < 0) {
      throw new IllegalArgumentException("--warmup-requests must be 0 or more, not " + warmupRequests);
    }
    if (levels != null && (levels.isEmpty() || levels.stream().anyMatch(c -> c < 1))) {
      throw new IllegalArgumentException("--levels must be concurrencies >= 1, not " + levels);
    }
    if (levels != null && requestRates != null) {
      throw new IllegalArgumentException("give concurrency levels (--levels) or request rates (--request-rate), not both");
    }
    if (requestRates != null) {
      if (requestRates.isEmpty() || requestRates.stream().distinct().count() != requestRates.size()) {
        throw new IllegalArgumentException("--request-rate lists a rate twice, or none: " + requestRates);
      }
      requestRates.forEach(r -> new Arrivals(r, burstiness, maxConcurrency)); // its checks, before anything runs
    }
    if (ramp != null && (levels != null || requestRates != null)) {
      throw new IllegalArgumentException("a ramp (--ramp-up-strategy) is one level of its own: leave out "
          + (levels != null ? "--levels" : "--request-rate"));
    }
    levels = levels == null ? null : List.copyOf(levels);
    requestRates = requestRates == null ? null : List.copyOf(requestRates);
  }

  /** True when the levels are request rates (open model) rather than concurrencies. */
  public boolean open() {
    return requestRates != null || ramp != null;
  }

  /** The open-model levels' count: one per rate, or the one ramp. */
  public int openLevels() {
    return ramp != null ? 1 : requestRates.size();
  }

  /** With a workload file's profile's own settings over these. */
  public LoadSpec with(ProfileSettings p) {
    List<Double> rates = p.requestRates() != null ? p.requestRates() : requestRates;
    return new LoadSpec(rates != null ? null : levels, p.rounds() != null ? p.rounds() : rounds, rates,
        p.burstiness() != null ? p.burstiness() : burstiness,
        p.maxConcurrency() != null ? p.maxConcurrency() : maxConcurrency,
        p.numPrompts() != null ? p.numPrompts() : numPrompts, warmupRequests, rates != null ? null : ramp);
  }

  /** One closed-model level of {@code concurrency} users sending {@code rounds} each (a capacity probe). */
  public LoadSpec closed(int concurrency, int newRounds) {
    return new LoadSpec(List.of(concurrency), newRounds, null, burstiness, null, numPrompts, warmupRequests, null);
  }

  /** One request-rate level (a capacity probe). */
  public LoadSpec rate(double rate, int prompts) {
    return new LoadSpec(null, rounds, List.of(rate), 1.0, null, prompts, warmupRequests, null);
  }

  /** The profile with these levels over its own. */
  public Profile apply(Profile profile) {
    return levels == null ? profile : profile.withLevels(levels);
  }
}
