package llmbench.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our series from captured /metrics texts of vLLM (two DP engines), SGLang and llama.cpp. */
class ServerSeriesTest {
  private static List<PromText.Sample> fixture(String name) throws IOException {
    try (InputStream in = ServerSeriesTest.class.getResourceAsStream("/metrics/" + name)) {
      return PromText.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void vllmEnginesAddUpAndTheirCacheUsageAverages() throws IOException {
    List<PromText.Sample> samples = fixture("vllm-dp2.txt");
    assertEquals("vllm", ServerSeries.engine(samples));
    Map<String, Double> s = ServerSeries.of(samples);
    assertEquals(23.0, s.get(ServerSeries.RUNNING));
    assertEquals(3.0, s.get(ServerSeries.WAITING));
    assertEquals(0.1875, s.get(ServerSeries.KV_CACHE_USAGE), 1e-12); // (0.25 + 0.125) / 2
    assertEquals(5.0, s.get(ServerSeries.PREEMPTIONS));
    assertEquals(2000.0, s.get(ServerSeries.PREFIX_QUERIES));
    assertEquals(800.0, s.get(ServerSeries.PREFIX_HITS));
    assertEquals(20.0, s.get(ServerSeries.REQUESTS_FINISHED)); // 7 + 3 + 0 + 10, every finished_reason
    assertEquals(3.0, s.get("ttft_seconds_sum"), 1e-12);
    assertEquals(20.0, s.get("ttft_seconds_count")); // the buckets are not counted as samples
    assertEquals(20.0, s.get("itl_seconds_sum"));
    assertEquals(1000.0, s.get("itl_seconds_count"));
    assertEquals(1.0, s.get("queue_seconds_sum"));
    assertFalse(s.containsKey("e2el_seconds_count")); // not published here: left out, not zero
  }

  @Test
  void sglangNamesMapToTheSameSeries() throws IOException {
    List<PromText.Sample> samples = fixture("sglang.txt");
    assertEquals("sglang", ServerSeries.engine(samples));
    Map<String, Double> s = ServerSeries.of(samples);
    assertEquals(24.0, s.get(ServerSeries.RUNNING));
    assertEquals(2.0, s.get(ServerSeries.WAITING));
    assertEquals(0.42, s.get(ServerSeries.KV_CACHE_USAGE));
    assertEquals(0.35, s.get(ServerSeries.PREFIX_HIT_RATE));
    assertEquals(12.8, s.get("ttft_seconds_sum"));
    assertEquals(64.0, s.get("e2el_seconds_count"));
    assertNull(s.get(ServerSeries.PREEMPTIONS));
  }

  @Test
  void llamaCppCountsCachedPromptTokensApart() throws IOException {
    List<PromText.Sample> samples = fixture("llamacpp-b11669.txt"); // captured from a real server
    assertEquals("llamacpp", ServerSeries.engine(samples));
    Map<String, Double> s = ServerSeries.of(samples);
    assertEquals(0.0, s.get(ServerSeries.RUNNING));
    assertEquals(0.0, s.get(ServerSeries.WAITING));
    assertEquals(17565.0, s.get(ServerSeries.PROMPT_TOKENS));
    assertEquals(166747.0, s.get(ServerSeries.GENERATION_TOKENS));
    assertEquals(99049.0, s.get(ServerSeries.PREFIX_HITS));
    assertEquals(116614.0, s.get(ServerSeries.PREFIX_QUERIES)); // FIELD_NOTES §10: 99,049 of 116,614
    assertNull(s.get(ServerSeries.KV_CACHE_USAGE)); // that build has no KV gauge
  }

  @Test
  void theParserReadsEscapesSpecialValuesAndTimestamps() {
    List<PromText.Sample> s = PromText.parse("""
        # HELP x a "quoted" help
        x{path="a\\\\b",msg="say \\"hi\\"\\n",empty=""} 1.5e3 1700000000000
        y NaN
        z{le="+Inf"} +Inf
        w -Inf
        """);
    assertEquals(4, s.size());
    assertEquals(1500.0, s.get(0).value());
    assertEquals(Map.of("path", "a\\b", "msg", "say \"hi\"\n", "empty", ""), s.get(0).labels());
    assertTrue(Double.isNaN(s.get(1).value()));
    assertEquals(Double.POSITIVE_INFINITY, s.get(2).value());
    assertEquals(Double.NEGATIVE_INFINITY, s.get(3).value());
  }

  @Test
  void aBrokenLineIsAnErrorWithItsNumber() {
    PromText.FormatError e = assertThrows(PromText.FormatError.class,
        () -> PromText.parse("ok 1\n\nbroken{a=\"x\" 2\n"));
    assertTrue(e.getMessage().startsWith("line 3 "), e.getMessage());
    assertTrue(assertThrows(PromText.FormatError.class, () -> PromText.parse("v abc")).getMessage()
        .contains("'abc' is not a number"));
  }

  @Test
  void textWithoutKnownFamiliesGivesNoSeries() {
    List<PromText.Sample> s = PromText.parse("process_cpu_seconds_total 12.5\npython_info{version=\"3.12\"} 1\n");
    assertTrue(ServerSeries.of(s).isEmpty());
    assertNull(ServerSeries.engine(s));
  }
}
