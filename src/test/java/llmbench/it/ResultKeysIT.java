package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import llmbench.cli.Cli;
import llmbench.cli.SweepCommand;
import llmbench.gatling.sweep.GatlingLauncher;
import org.junit.jupiter.api.Test;

/**
 * The typed results keep the files users read: three mock sweeps through the scripts' entry point
 * write the same file names, and results with the same keys, as the code before the typed run did
 * for the same commands ({@code src/test/resources/results/before-typed-run.json}, recorded from
 * that code). The server's gauges ({@code server_running_*}, {@code server_waiting_*},
 * {@code server_kv_cache_*}) are left out: they appear only when a level lasted three scrapes. Keys
 * added since, on purpose, are listed in {@link #ADDED}.
 */
class ResultKeysIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Every level's result has these since the record was made: the server family, min_tokens, output
   * lengths, and the self-check's lag as the TTFT stamps met it.
   */
  static final List<String> ADDED = List.of("server_family", "min_tokens_sent", "output_len_different",
      "client_first_chunk_lag_max_ms", "client_first_chunk_lag_mean_ms");
  /** Vision levels have these since several images per request: each request's image tokens' spread. */
  static final List<String> VISION_ADDED = List.of("image_tokens_mean", "image_tokens_min", "image_tokens_max");

  private static Map<String, List<String>> run(Path out, boolean vision, String... args) throws IOException {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("--mock", "--mock-time-scale", "0.2", "--seed", "1", "--out", out.toString(),
        "--nvidia-smi", "/nonexistent", "--gatling-results", out.resolveSibling(out.getFileName() + "-gatling").toString()));
    SweepCommand command = new SweepCommand(GatlingLauncher::run, vision);
    assertEquals(0, Cli.runNamed(command, command.commandName(), a.toArray(String[]::new)));
    Path dir = vision ? out.resolve("vision_64x64") : out;
    Map<String, List<String>> keys = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        List<String> k = new ArrayList<>();
        JSON.readTree(f.toFile()).fieldNames().forEachRemaining(n -> {
          if (!n.matches("server_(running|waiting|kv_cache)_.*")) {
            k.add(n);
          }
        });
        keys.put(f.getFileName().toString(), List.copyOf(new TreeSet<>(k)));
      }
    }
    return keys;
  }

  @Test
  void theSameFilesWithTheSameKeysAsBefore() throws Exception {
    JsonNode before;
    try (InputStream in = ResultKeysIT.class.getResourceAsStream("/results/before-typed-run.json")) {
      before = JSON.readTree(in);
    }
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "keys");
    Map<String, Map<String, List<String>>> now = new TreeMap<>();
    now.put("closed", run(work.resolve("closed"), false, "--profiles", "low", "--levels", "4"));
    now.put("rate", run(work.resolve("rate"), false, "--profiles", "low", "--request-rate", "8", "--num-prompts", "16",
        "--max-concurrency", "4"));
    now.put("vision", run(work.resolve("vision"), true, "64", "64", "--profiles", "vision2", "--levels", "4"));
    Map<String, Map<String, List<String>>> expected = new TreeMap<>();
    before.fields().forEachRemaining(kind -> {
      Map<String, List<String>> files = new TreeMap<>();
      kind.getValue().fields().forEachRemaining(f -> {
        TreeSet<String> keys = new TreeSet<>(ADDED);
        if (kind.getKey().equals("vision")) {
          keys.addAll(VISION_ADDED);
        }
        f.getValue().forEach(k -> keys.add(k.asText()));
        files.put(f.getKey(), List.copyOf(keys));
      });
      expected.put(kind.getKey(), files);
    });
    assertEquals(expected, now);
  }
}
