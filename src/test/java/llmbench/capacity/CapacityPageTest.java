package llmbench.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import llmbench.capacity.CapacitySearch;
import llmbench.capacity.Probe;
import llmbench.capacity.SloTargets;
import org.junit.jupiter.api.Test;

class CapacityPageTest {
  @Test
  void thePageCarriesEveryProbeAndItsScriptsInline() throws Exception {
    SloTargets slo = SloTargets.parse("ttft_p99:500");
    Probe met = new Probe(32, 0, "c032", "probes/c032/x.json", Map.of("ttft_p99", 80.0), List.of(), false, 128, 0, 30.0, Map.of());
    Probe broke = new Probe(64, 0, "c064", "probes/c064/x.json", Map.of("ttft_p99", 1100.0),
        List.of("ttft_p99 1100.0 > 500"), false, 128, 0, 7.0, Map.of("server_waiting_max", 32.0));
    CapacitySearch.Answer a = new CapacitySearch.Answer(CapacitySearch.By.CONCURRENCY, slo.toString(), 32.0, 64.0,
        broke.broken(), "clear", "capacity: 32 concurrent requests met every target; 64 broke ttft_p99 1100.0 > 500",
        Map.of("load", 64.0, "server_waiting_max", 32.0), List.of(met, broke), false);
    String html = CapacityPage.render(a, slo);
    assertTrue(html.contains("<canvas id=\"chart-ttft_p99\">"));
    assertTrue(html.contains("<tr class=\"broken\"><td>c064</td><td>64</td>"), "the broken probe's row");
    assertFalse(html.matches("(?s).*<script[^>]*src=.*"), "no script from elsewhere");
    String data = html.substring(html.indexOf("id=\"report-data\">") + 17);
    JsonNode d = new ObjectMapper().readTree(data.substring(0, data.indexOf("</script>")));
    assertEquals(2, d.get("probes").size());
    assertEquals(500.0, d.get("targets").get(0).get("limit").asDouble());
  }
}
