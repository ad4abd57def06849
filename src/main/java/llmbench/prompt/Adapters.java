package llmbench.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The LoRA adapters a run spreads its requests over, each request asking for one by name as its
 * {@code model} (vLLM's {@code --lora-modules} and {@code --lora-assignment}, SGLang's LoRA
 * distributions): in turn (round-robin), or drawn at random with the run's seed, by weight when given
 * ({@code a:0.5,b:0.3,c:0.2}). A request's adapter follows from its number alone, so a level's bodies
 * build in any order and a rerun with the seed sends the same adapter with the same prompt.
 *
 * @param weights each adapter's share, summing to 1
 */
public record Adapters(List<String> names, double[] weights, boolean roundRobin, long seed) {
  public static final Adapters NONE = new Adapters(List.of(), new double[0], true, 0);

  public Adapters {
    names = List.copyOf(names);
  }

  /**
   * {@code --lora-modules} ({@code a,b,c} or {@code a:0.5,b:0.3,c:0.2}) with {@code --lora-assignment}
   * ({@code round-robin}, {@code random}; null: round-robin, or random when weights are given).
   */
  public static Adapters parse(String modules, String assignment, long seed) {
    if (modules == null) {
      if (assignment != null) {
        throw new IllegalArgumentException("--lora-assignment spreads requests over --lora-modules: give the adapters too");
      }
      return NONE;
    }
    List<String> names = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    boolean weighted = false;
    for (String part : modules.split(",")) {
      String p = part.trim();
      int colon = p.lastIndexOf(':');
      String name = colon > 0 ? p.substring(0, colon).trim() : p;
      if (name.isEmpty() || name.contains(" ")) {
        throw new IllegalArgumentException("--lora-modules: '" + part + "' is not an adapter name (a,b,c or a:0.5,b:0.5)");
      }
      if (names.contains(name)) {
        throw new IllegalArgumentException("--lora-modules names " + name + " twice");
      }
      double w = 1;
      if (colon > 0) {
        weighted = true;
        try {
          w = Double.parseDouble(p.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--lora-modules: the weight of " + name + " is not a number: '"
              + p.substring(colon + 1) + "'");
        }
        if (!(w > 0)) {
          throw new IllegalArgumentException("--lora-modules: the weight of " + name + " must be above 0, not " + w);
        }
      }
      names.add(name);
      weights.add(w);
    }
    if (weighted && weights.size() != names.size()) {
      throw new IllegalArgumentException("--lora-modules: give every adapter a weight, or none");
    }
    double sum = weights.stream().mapToDouble(Double::doubleValue).sum();
    if (weighted && Math.abs(sum - 1) > 0.01) {
      throw new IllegalArgumentException("--lora-modules: the weights add up to " + trim(sum) + ", not 1");
    }
    String how = assignment == null ? (weighted ? "random" : "round-robin") : assignment.trim().toLowerCase(Locale.ROOT);
    if (!how.equals("random") && !how.equals("round-robin")) {
      throw new IllegalArgumentException("--lora-assignment must be random or round-robin, not '" + assignment + "'");
    }
    if (weighted && how.equals("round-robin")) {
      throw new IllegalArgumentException("--lora-assignment round-robin sends each adapter the same share: leave out "
          + "the weights in --lora-modules, or use random");
    }
    return new Adapters(names, weights.stream().mapToDouble(w -> w / sum).toArray(), how.equals("round-robin"), seed);
  }

  public boolean any() {
    return !names.isEmpty();
  }

  /** The adapter request {@code index} asks for. */
  public String pick(long index) {
    if (roundRobin) {
      return names.get((int) Math.floorMod(index, (long) names.size()));
    }
    double r = new SplittableRandom(seed * 1_000_003L + index).nextDouble();
    for (int i = 0; i < names.size() - 1; i++) {
      if ((r -= weights[i]) < 0) {
        return names.get(i);
      }
    }
    return names.get(names.size() - 1);
  }

  /** For the results and engine_params.txt: {@code a,b,c (round-robin)} or {@code a:0.5,b:0.5 (random)}. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      parts.add(roundRobin ? names.get(i) : names.get(i) + ":" + trim(weights[i]));
    }
    return String.join(",", parts) + (roundRobin ? " (round-robin)" : " (random)");
  }

  private static String trim(double v) {
    return String.format(Locale.ROOT, "%.4g", v).replaceAll("\\.?0+$", "");
  }
}
