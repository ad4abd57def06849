package llmbench.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workload file ({@code --workload FILE}, YAML or JSON): named profiles, each with its lengths (or
 * dataset), its concurrency levels or request rates, and how many requests. The seed's five profiles
 * are one such file, shipped in the jar ({@code llmbench/workload/profiles.yaml}), so a user's
 * profiles and the seed's take one code path: a {@link Profile} and the settings that profile sets.
 */
public record Workload(String source, List<Entry> profiles) {

  /** One profile: its shape, and the settings it sets (over the run's own). */
  public record Entry(Profile profile, ProfileSettings settings) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String DEFAULTS = "llmbench/workload/profiles.yaml";
  /** The keys a profile may set beyond its shape, as the options of the same names. */
  private static final List<String> SETTINGS = List.of("request_rate", "burstiness", "max_concurrency", "num_prompts",
      "rounds", "dataset", "prefix_len", "num_prefixes", "turns", "think_time_ms", "endpoint", "repeat");
  private static final List<String> SHAPE = List.of("name", "input_len", "output_len", "concurrency", "vision");
  private static volatile Workload defaults;

  /** The seed's profiles, from the jar. */
  public static Workload defaults() {
    Workload w = defaults;
    if (w == null) {
      try (InputStream in = Workload.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
        if (in == null) {
          throw new IllegalStateException(DEFAULTS + " is missing from the classpath");
        }
        defaults = w = parse(DEFAULTS, YAML.readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return w;
  }

  /** A user's file; a mistake in it is a one-line error that names the file, the profile and the key. */
  public static Workload read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--workload: no such file " + file.toAbsolutePath());
    }
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(file + " line " + e.getLocation().getLineNr() + ": not valid YAML or JSON ("
          + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parse(file.toString(), root);
  }

  public Entry named(String name) {
    for (Entry e : profiles) {
      if (e.profile().name().equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown profile '" + name + "' in " + source + ": use "
        + String.join(", ", names()));
  }

  public List<String> names() {
    return profiles.stream().map(e -> e.profile().name()).toList();
  }

  private static Workload parse(String source, JsonNode root) {
    JsonNode list = root == null ? null : root.get("profiles");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException(source + ": needs a non-empty 'profiles:' list");
    }
    List<Entry> out = new ArrayList<>();
    for (JsonNode p : list) {
      Entry e = entry(source, p);
      if (out.stream().anyMatch(o -> o.profile().name().equals(e.profile().name()))) {
        throw new IllegalArgumentException(source + ": two profiles are named '" + e.profile().name() + "'");
      }
      out.add(e);
    }
    return new Workload(source, List.copyOf(out));
  }

  private static Entry entry(String source, JsonNode p) {
    String name = p.path("name").asText("");
    String where = source + ": profile '" + name + "'";
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException(source + ": every profile needs a name of letters, digits, '_', '.' or '-'");
    }
    for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!SHAPE.contains(k) && !SETTINGS.contains(k)) {
        throw new IllegalArgumentException(where + ": unknown key '" + k + "' (use " + String.join(", ", SHAPE) + ", "
            + String.join(", ", SETTINGS) + ")");
      }
    }
    boolean rates = p.has("request_rate");
    if (rates == p.has("concurrency")) {
      throw new IllegalArgumentException(where + ": give either concurrency (levels of users) or request_rate (req/s)");
    }
    boolean dataset = p.has("dataset") && !p.get("dataset").asText().equals("random");
    if (!p.has("output_len") && !dataset) {
      throw new IllegalArgumentException(where + ": needs output_len");
    }
    int input = 0;
    JsonNode in = p.get("input_len");
    if (in == null) {
      if (!dataset) {
        throw new IllegalArgumentException(where + ": needs input_len (a number, or 'context' for max_model_len - output_len)");
      }
    } else if (!in.asText().equals("context")) {
      input = positive(in, where + ": input_len");
    }
    int output = p.has("output_len") ? positive(p.get("output_len"), where + ": output_len") : 256;
    List<Integer> levels = new ArrayList<>();
    if (!rates) {
      JsonNode c = p.get("concurrency");
      for (JsonNode n : c.isArray() ? c : YAML.createArrayNode().add(c)) {
        levels.add(positive(n, where + ": concurrency"));
      }
    }
    if (p.has("input_len") && dataset) {
      throw new IllegalArgumentException(where + ": a dataset's prompts have their own lengths: leave out input_len");
    }
    for (String k : List.of("burstiness", "max_concurrency", "num_prompts")) {
      if (p.has(k) && !rates) {
        throw new IllegalArgumentException(where + ": " + k + " applies to request-rate levels only: give request_rate");
      }
    }
    return new Entry(new Profile(name, input, output, List.copyOf(levels), p.path("vision").asBoolean(false)),
        settings(p, where));
  }

  private static ProfileSettings settings(JsonNode p, String where) {
    List<Double> rates = null;
    if (p.has("request_rate")) {
      rates = new ArrayList<>();
      JsonNode r = p.get("request_rate");
      for (JsonNode n : r.isArray() ? r : YAML.createArrayNode().add(r)) {
        try {
          rates.add(Arrivals.parseRate(n.asText()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": request_rate: " + e.getMessage());
        }
      }
    }
    Boolean chat = null;
    if (p.has("endpoint")) {
      chat = switch (p.get("endpoint").asText()) {
        case "chat" -> true;
        case "completions" -> false;
        default -> throw new IllegalArgumentException(where + ": endpoint must be completions or chat, not '"
            + p.get("endpoint").asText() + "'");
      };
    }
    Dataset.Spec dataset = null;
    if (p.has("dataset")) {
      try {
        dataset = Dataset.Spec.parse(p.get("dataset").asText());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": dataset: " + e.getMessage().replaceFirst("^--dataset ", ""));
      }
    }
    Double burstiness = null;
    if (p.has("burstiness")) {
      if (!p.get("burstiness").isNumber() || !(p.get("burstiness").asDouble() > 0)) {
        throw new IllegalArgumentException(where + ": burstiness must be a number > 0, not '" + p.get("burstiness").asText() + "'");
      }
      burstiness = p.get("burstiness").asDouble();
    }
    return new ProfileSettings(rates, burstiness, optional(p, "max_concurrency", where, 1),
        optional(p, "num_prompts", where, 1), optional(p, "rounds", where, 1), dataset,
        optional(p, "prefix_len", where, 0), optional(p, "num_prefixes", where, 1), optional(p, "turns", where, 1),
        optional(p, "think_time_ms", where, 0), chat, optional(p, "repeat", where, 1));
  }

  private static Integer optional(JsonNode p, String key, String where, int min) {
    JsonNode n = p.get(key);
    if (n == null) {
      return null;
    }
    if (n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= min) {
      return n.asInt();
    }
    throw new IllegalArgumentException(where + ": " + key + " must be a whole number >= " + min + ", not '" + n.asText() + "'");
  }

  private static int positive(JsonNode n, String what) {
    if (n.canConvertToInt() && n.asInt() > 0 && n.isIntegralNumber()) {
      return n.asInt();
    }
    throw new IllegalArgumentException(what + " must be a whole number > 0, not '" + n.asText() + "'");
  }
}
