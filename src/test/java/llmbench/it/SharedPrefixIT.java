package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.testutil.Runs;
import org.junit.jupiter.api.Test;

/**
 * A level whose prompts share prefixes, against the mock's prefix cache: the server's own counters
 * (scraped at the level's start and end) show the shared blocks as hits, and nothing else.
 */
class SharedPrefixIT {
  @Test
  void sharedPrefixesAreCacheHitsAtTheServer() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path tok = Files.createTempDirectory(work, "tokenizer");
    BuiltinTokenizer.writeTo(tok);
    Path out = Files.createTempDirectory(work, "output");
    Path results = Files.createTempDirectory(work, "gatling");
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(5))
        .keepTraces(true).tokenizerDir(tok).build())) {
      Map<String, String> props = Map.ofEntries(Map.entry("--url", mock.baseUrl()), Map.entry("--tokenizer", tok.toString()),
          Map.entry("--input-len", "64"), Map.entry("--output-len", "8"), Map.entry("--levels", "8"),
          Map.entry("--rounds", "3"), Map.entry("--prefix-len", "256"), Map.entry("--num-prefixes", "2"),
          Map.entry("--out", out.toString()), Map.entry("--gatling-results", results.toString()),
          Map.entry("--no-client-warmup", "true"));
      assertEquals(0, Runs.smoke(props));
    }
    JsonNode r;
    try (var files = Files.list(out)) {
      List<Path> json = files.filter(p -> p.toString().endsWith(".json")).toList();
      assertEquals(1, json.size());
      r = new ObjectMapper().readTree(json.get(0).toFile());
    }
    // 256 prefix tokens + the profile's 64 (BOS included): BOS and the prefix fill 16 whole blocks of 16
    // and one token of the 17th, which is each prompt's own
    r.get("input_lens").forEach(n -> assertEquals(320, n.asInt()));
    assertEquals(256, r.get("random_prefix_len").asInt());
    assertEquals(2, r.get("num_prefixes").asInt());
    // the warm-up requests put both prefixes in the cache: every measured request hits 256 of 320 tokens
    assertEquals(256.0 / 320, r.get("server_prefix_cache_hit_rate").asDouble(), 1e-6);
    assertTrue(r.get("completed").asInt() == 24);
  }

  private static double hitRate(MockServer mock, Path tok, String... extra) throws Exception {
    Path work = Path.of("target", "it");
    Path out = Files.createTempDirectory(work, "output");
    Path results = Files.createTempDirectory(work, "gatling");
    Map<String, String> props = new java.util.HashMap<>(Map.of("--url", mock.baseUrl(), "--tokenizer",
        tok.toString(), "--input-len", "64", "--output-len", "4", "--levels", "8", "--out", out.toString(),
        "--gatling-results", results.toString(), "--no-client-warmup", "true", "--warmup-requests", "0"));
    for (int i = 0; i < extra.length; i += 2) {
      props.put(extra[i], extra[i + 1]);
    }
    assertEquals(0, Runs.smoke(props));
    try (var files = Files.list(out)) {
      Path json = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
      return new ObjectMapper().readTree(json.toFile()).get("server_prefix_cache_hit_rate").asDouble();
    }
  }

  /** FIELD_NOTES §10: a second run with the same prompts is measured on a warm cache, unless it is reset. */
  @Test
  void runsDoNotInheritEachOthersCacheUnlessTheyRepeatASeed() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it"));
    Path tok = Files.createTempDirectory(work, "tokenizer");
    BuiltinTokenizer.writeTo(tok);
    try (MockServer mock = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(2))
        .tokenizerDir(tok).build())) {
      assertEquals(0.0, hitRate(mock, tok, "--seed", "5"), "a first run finds nothing cached");
      // the same seed sends the same 64-token prompts: 4 whole blocks cached, the last recomputed (vLLM
      // computes the last token, in whole blocks)
      assertEquals(48.0 / 64, hitRate(mock, tok, "--seed", "5"), 1e-9);
      assertEquals(0.0, hitRate(mock, tok, "--seed", "5", "--flush-cache", "true"), "reset before the run");
      assertEquals(0.0, hitRate(mock, tok), "no seed given: a fresh one, fresh prompts");
    }
  }
}
