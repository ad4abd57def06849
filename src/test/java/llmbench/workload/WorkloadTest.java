package llmbench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadTest {
  @Test
  void theSeedsProfilesAreTheShippedWorkloadFile() {
    Workload w = Workload.defaults();
    assertEquals(List.of("high", "medium", "low", "vision1", "vision2"), w.names());
    // the seed's plan (FIELD_NOTES §1), as the profiles were written in code before
    assertEquals(new Profile("high", 0, 2048, List.of(1, 5, 10), false), w.named("high").profile());
    assertEquals(new Profile("medium", 200, 250, List.of(32, 64, 128), false), w.named("medium").profile());
    assertEquals(new Profile("low", 100, 150, List.of(1, 4, 8, 16, 32), false), w.named("low").profile());
    assertEquals(new Profile("vision1", 50, 300, List.of(8, 16, 32, 64, 128), true), w.named("vision1").profile());
    assertEquals(new Profile("vision2", 100, 100, List.of(1, 8, 16, 32), true), w.named("vision2").profile());
    w.profiles().forEach(e -> assertEquals(ProfileSettings.NONE, e.settings(), "the seed's profiles set nothing else"));
  }

  @Test
  void aUsersFileGivesProfilesAndTheirSettings(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("w.yaml");
    Files.writeString(yaml, """
        profiles:
          - name: chat
            input_len: 120
            output_len: 40
            concurrency: [2, 4]
            turns: 3
            think_time_ms: 500
          - name: poisson
            input_len: 80
            output_len: 30
            request_rate: [1, 2.5, inf]
            num_prompts: 50
            burstiness: 0.5
        """);
    Workload w = Workload.read(yaml);
    assertEquals(new Profile("chat", 120, 40, List.of(2, 4), false), w.named("chat").profile());
    assertEquals(List.of("--turns", "--think-time-ms"), w.named("chat").settings().options());
    assertEquals(3, w.named("chat").settings().turns());
    assertEquals(500, w.named("chat").settings().thinkTimeMs());
    ProfileSettings poisson = w.named("poisson").settings();
    assertEquals(List.of("--request-rate", "--burstiness", "--num-prompts"), poisson.options());
    // the settings mean what the same options mean
    LoadSpec s = new LoadSpec(null, 1, null, 1.0, null, LoadSpec.DEFAULT_NUM_PROMPTS, 2, null).with(poisson);
    assertEquals(List.of(1.0, 2.5, Double.POSITIVE_INFINITY), s.requestRates());
    assertEquals(0.5, s.burstiness());
    assertEquals(50, s.numPrompts());
    Path json = dir.resolve("w.json");
    Files.writeString(json, "{\"profiles\": [{\"name\": \"x\", \"input_len\": 10, \"output_len\": 5, \"concurrency\": 3}]}");
    assertEquals(new Profile("x", 10, 5, List.of(3), false), Workload.read(json).named("x").profile());
  }

  @Test
  void mistakesNameTheFileTheProfileAndTheKey(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("w.yaml");
    Files.writeString(f, "profiles:\n  - name: a\n    input_len: 10\n    output_len: 5\n    concurrency: [1]\n    rate: 3\n");
    assertEquals(f + ": profile 'a': unknown key 'rate' (use name, input_len, output_len, concurrency, vision, request_rate, "
        + "burstiness, max_concurrency, num_prompts, rounds, dataset, prefix_len, num_prefixes, turns, think_time_ms, "
        + "endpoint, repeat)", assertThrows(IllegalArgumentException.class, () -> Workload.read(f)).getMessage());
    Files.writeString(f, "profiles:\n  - name: a\n    input_len: 10\n    output_len: 5\n    concurrency: [1]\n    request_rate: [2]\n");
    assertEquals(f + ": profile 'a': give either concurrency (levels of users) or request_rate (req/s)",
        assertThrows(IllegalArgumentException.class, () -> Workload.read(f)).getMessage());
    Files.writeString(f, "profiles:\n  - name: a\n    input_len: -3\n    output_len: 5\n    concurrency: [1]\n");
    assertEquals(f + ": profile 'a': input_len must be a whole number > 0, not '-3'",
        assertThrows(IllegalArgumentException.class, () -> Workload.read(f)).getMessage());
    Files.writeString(f, "profiles: [\n");
    assertEquals(true, assertThrows(IllegalArgumentException.class, () -> Workload.read(f)).getMessage()
        .startsWith(f + " line "));
    assertThrows(IllegalArgumentException.class, () -> Workload.read(dir.resolve("none.yaml")));
  }
}
