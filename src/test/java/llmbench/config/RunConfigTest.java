package llmbench.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import llmbench.workload.Profile;
import org.junit.jupiter.api.Test;

/**
 * The options become one checked {@link RunConfig}; {@code -Dllm.*} becomes the same one, its errors
 * in the properties' names.
 */
class RunConfigTest {
  static RunConfig options(String... args) {
    RunOptions o = new RunOptions();
    return o.toConfig(new picocli.CommandLine(o).parseArgs(args), false, true, Map.of());
  }

  static RunConfig properties(Map<String, String> props, Map<String, String> env) {
    return LlmProperties.toConfig(props, env, false);
  }

  static String error(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> options(args)).getMessage();
  }

  static String propertyError(Map<String, String> props) {
    return assertThrows(IllegalArgumentException.class, () -> properties(props, Map.of())).getMessage();
  }

  @Test
  void theDefaultsAreTheSameThroughBothDoors() {
    RunConfig o = options();
    RunConfig p = properties(Map.of(), Map.of());
    assertEquals(o.load(), p.load());
    assertEquals(o.client(), p.client());
    assertEquals(o.output().percentiles(), p.output().percentiles());
    assertEquals(o.output().out(), p.output().out());
    assertEquals("http://localhost:8000", o.server().baseUrl());
    assertEquals(List.of("ttft", "tpot", "itl", "e2el"), o.output().percentileMetrics());
    assertEquals(2, o.load().warmupRequests());
    assertTrue(o.client().warmUp());
    assertTrue(o.client().keepAlive());
    assertEquals(600, o.client().timeoutSeconds());
    assertNull(o.server().tokenizerDir(), "none given: the run decides (fake_model/, or the mock's own)");
    assertNull(o.workload().chat(), "completions, unless a session or a vision profile asks for chat");
    assertTrue(o.output().liveLine(), "the scripts' console");
    assertFalse(p.output().liveLine(), "Gatling's console");
  }

  @Test
  void propertiesAreTheOptionsOfTheSameMeaning() {
    RunConfig s = properties(Map.of("llm.url", "http://h:1/v1/", "llm.levels", "2,4", "llm.rounds", "3",
        "llm.goodput", "ttft:500,tpot:50", "llm.percentiles", "50,99.9", "llm.warmup", "0", "llm.clientWarmup", "false",
        "llm.connections", "per-request"), Map.of("OPENAI_API_KEY", "k"));
    assertEquals("http://h:1", s.server().baseUrl());
    assertEquals(List.of(2, 4), s.shape(Profile.LOW).levels());
    assertEquals(3, s.load().rounds());
    assertEquals("k", s.server().apiKey());
    assertFalse(s.server().toString().contains("k,"), "the key stays out of its text: " + s.server());
    assertEquals(List.of(50.0, 99.9), s.output().percentiles());
    assertEquals(Map.of("ttft", 500.0, "tpot", 50.0), s.output().goodput().limitsMs());
    assertEquals(0, s.load().warmupRequests());
    assertFalse(s.client().warmUp());
    assertFalse(s.client().keepAlive());
  }

  @Test
  void theStopRulesRequestFieldsAndTlsHavePropertiesToo() {
    RunConfig s = properties(Map.of("llm.url", "https://h:1", "llm.maxErrorRate", "20%", "llm.errorMinRequests", "5",
        "llm.maxDuration", "90s", "llm.stopOnSaturation", "true", "llm.insecure", "true", "llm.extraBody",
        "{\"seed\":3}", "llm.temperature", "0.5", "llm.header", "X-Tenant: a"), Map.of());
    assertEquals(new llmbench.stop.StopRules(0.2, 5, java.time.Duration.ofSeconds(90), true), s.stops());
    assertTrue(s.server().tls().insecure());
    assertEquals("{\"seed\":3,\"temperature\":0.5}", s.workload().extra().json());
    assertEquals(Map.of("X-Tenant", "a"), s.server().headers().values());
    RunConfig none = properties(Map.of("llm.stopOnSaturation", "false", "llm.insecure", "false"), Map.of());
    assertEquals(llmbench.stop.StopRules.NONE, none.stops());
    assertFalse(none.server().tls().insecure());
  }

  @Test
  void mistakesNameTheOptionOrTheProperty() {
    assertEquals("--rounds must be >= 1, not 0", error("--rounds", "0"));
    assertEquals("-Dllm.rounds must be >= 1, not 0", propertyError(Map.of("llm.rounds", "0")));
    assertEquals("--endpoint must be completions, chat, responses, embeddings or rerank, not 'grpc'", error("--endpoint", "grpc"));
    assertEquals("--connections must be keep-alive or per-request, not 'pooled'", error("--connections", "pooled"));
    assertEquals("-Dllm.connections must be keep-alive or per-request, not 'pooled'",
        propertyError(Map.of("llm.connections", "pooled")));
    assertEquals("--percentiles: '150' is not a percentile between 0 and 100", error("--percentiles", "150"));
    assertEquals("-Dllm.percentiles: '150' is not a percentile between 0 and 100",
        propertyError(Map.of("llm.percentiles", "150")));
    assertTrue(error("--goodput", "ttft").startsWith("--goodput: bad goodput SLO 'ttft'"));
    assertEquals("--url 'not-a-url' is not a server address: give e.g. http://gpu-node:8000", error("--url", "not-a-url"));
    assertEquals("--warmup-requests must be 0 or more, not -1", error("--warmup-requests", "-1"));
    assertEquals("unknown setting -Dllm.inputs (docs/CONFIGURATION.md lists them)",
        propertyError(Map.of("llm.inputs", "3")));
  }

  @Test
  void requestRatesAndTheirOptions() {
    assertFalse(options().load().open());
    RunConfig open = options("--request-rate", "1, 2.5,inf", "--burstiness", "0.5", "--max-concurrency", "8",
        "--num-prompts", "50");
    assertEquals(List.of(1.0, 2.5, Double.POSITIVE_INFINITY), open.load().requestRates());
    assertEquals(0.5, open.load().burstiness());
    assertEquals(8, open.load().maxConcurrency());
    assertEquals(50, open.load().numPrompts());
    assertEquals(200, options("--request-rate", "4").load().numPrompts());
    // an option that only a rate level reads is an error without one, not silently ignored
    assertEquals("--max-concurrency applies to request-rate levels only: give --request-rate too",
        error("--max-concurrency", "8"));
    assertEquals("-Dllm.maxConcurrency applies to request-rate levels only: give -Dllm.requestRate too",
        propertyError(Map.of("llm.maxConcurrency", "8")));
    assertTrue(error("--request-rate", "2,2").contains("lists a rate twice"));
    assertTrue(error("--request-rate", "fast").startsWith("--request-rate: request rate 'fast' must be"));
    assertTrue(error("--request-rate", "2", "--burstiness", "-1").contains("--burstiness must be a number > 0"));
    assertTrue(error("--request-rate", "2", "--levels", "4").contains("not both"));
  }

  @Test
  void aRunWithoutASeedGetsAFreshOneAndAGivenSeedRepeats() {
    Set<Long> seeds = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      seeds.add(options().workload().seed());
    }
    assertEquals(5, seeds.size(), "five runs, five seeds: " + seeds);
    assertEquals(42L, options("--seed", "42").workload().seed());
    assertTrue(assertThrows(picocli.CommandLine.ParameterException.class, () -> options("--seed", "x")).getMessage()
        .contains("'x' is not a long"));
  }

  @Test
  void sessionsAreChatAndRefuseAnExplicitCompletionsEndpoint() {
    RunConfig s = options("--turns", "3", "--think-time-ms", "250");
    assertTrue(s.workload().chatAsked());
    assertEquals(3, s.workload().turns());
    assertEquals("--turns sends conversations to /v1/chat/completions: leave out --endpoint completions",
        error("--turns", "3", "--endpoint", "completions"));
    assertTrue(error("--think-time-ms", "250").contains("give --turns 2 or more"));
    assertTrue(error("--turns", "2", "--request-rate", "4").contains("leave out --request-rate"));
  }

  @Test
  void capacityOptionsBelongToACapacitySearch() {
    assertEquals("--slo belongs to a capacity search: give --find-capacity too", error("--slo", "ttft_p99:500"));
    assertEquals(List.of("low"), options("--find-capacity", "--slo", "ttft_p99:500").selection().profiles());
    assertTrue(error("--find-capacity", "--slo", "ttft_p99:fast").startsWith("--slo: bad SLO 'ttft_p99:fast'"));
    assertTrue(error("--find-capacity", "--slo", "ttft_p99:500", "--profiles", "low,medium")
        .startsWith("--find-capacity searches one profile"));
    assertEquals("--by must be concurrency or rate, not 'users'",
        error("--find-capacity", "--slo", "ttft_p99:500", "--by", "users"));
  }
}
