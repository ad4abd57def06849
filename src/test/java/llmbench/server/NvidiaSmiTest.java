package llmbench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Real H100 outputs (copied unchanged from ../shared/fixtures/nvidia-smi). */
class NvidiaSmiTest {
  static String fixture(String name) throws IOException {
    try (InputStream in = Objects.requireNonNull(NvidiaSmiTest.class.getResourceAsStream("/nvidia-smi/" + name))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void parsesTheTimelineWithUnitsAndHeader() throws IOException {
    List<GpuSample> s = fixture("timeline-lms250.csv").lines()
        .map(l -> NvidiaSmi.parseGpuLine(l, 0)).filter(Objects::nonNull).toList();
    assertEquals(12, s.size()); // 13 lines, one header
    GpuSample first = s.get(0);
    assertEquals("2026/11/27 21:17:09.582", first.timestamp());
    assertEquals(0, first.index());
    assertEquals("NVIDIA H100 80GB HBM3", first.name());
    assertEquals(0, first.usedMiB());
    assertEquals(81559, first.totalMiB());
    assertEquals(70.04, first.powerW(), 1e-9);
    double peak = s.stream().mapToDouble(GpuSample::usedMiB).max().orElseThrow();
    assertTrue(peak >= 4096, "the fixture allocates in 4 GB steps; peak " + peak);
  }

  @Test
  void parsesNoHeaderNoUnitsAndSkipsHeaders() throws IOException {
    // the 12-column query: our parser reads its first 7 columns only when they are ours; here the
    // 4th column is a UUID, so the line is not taken for a sample
    assertNull(NvidiaSmi.parseGpuLine(fixture("query-gpu.csv").lines().findFirst().orElseThrow(), 0));
    GpuSample ours = NvidiaSmi.parseGpuLine("2026/11/27 21:16:35.863, 0, NVIDIA H100 80GB HBM3, 8634, 81559, 12, 120.5", 5);
    assertEquals(8634, ours.usedMiB());
    assertEquals(12, ours.utilizationPct());
    assertEquals(5, ours.epochMs());
    assertNull(NvidiaSmi.parseGpuLine("", 0));
  }

  @Test
  void parsesComputeApps() throws IOException {
    List<NvidiaSmi.GpuProcess> apps = NvidiaSmi.parseApps(fixture("query-compute-apps.csv"));
    assertEquals(List.of(new NvidiaSmi.GpuProcess(505, "python3", 8634)), apps);
    assertEquals(List.of(), NvidiaSmi.parseApps(""));
  }

  @Test
  void readsNotAvailableAsNaN() {
    assertTrue(Double.isNaN(NvidiaSmi.number("[N/A]")));
    assertEquals(69.85, NvidiaSmi.number("69.85 W"), 1e-9);
  }
}
