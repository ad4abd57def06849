package llmbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunInfoTest {
  private static RunInfo info(RunInfo.LevelInputs level) {
    return new RunInfo("low", "LowLoad", "http://127.0.0.1:8000", "m", "t", "completions", 4096, 1L,
        List.of("ttft"), List.of(99.0), null, List.of(), Map.of(), Map.of("c004", level));
  }

  @Test
  void aShardsLevelFactsComeBackTyped(@TempDir Path dir) throws Exception {
    RunInfo.LevelInputs level = new RunInfo.LevelInputs(12, 3, 4, null, 4, 200, 100, null,
        new RunInfo.ShardLevel(48, 16, 123_456_789L), null, new llmbench.stop.LevelEnd("max_error_rate", "why",
            List.of("c008"), new llmbench.stop.Saturation.Verdict(true, "queued", Map.of("saturation_ttft_rise", 2.5))));
    info(level).write(dir.resolve(RunInfo.FILE_NAME));
    assertEquals(level, RunInfo.read(dir.resolve(RunInfo.FILE_NAME)).levels().get("c004"));
  }

  @Test
  void aFolderWrittenWithTheUntypedKeysStillReads(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(RunInfo.FILE_NAME);
    info(new RunInfo.LevelInputs(12, 3, 4, null, 4, 200, 100)).write(file);
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(file.toFile());
    ((ObjectNode) root.get("levels").get("c004")).putObject("keys").put("shard_whole_prompts", 48)
        .put("shard_start_nanotime", 5L);
    json.writeValue(file.toFile(), root);
    RunInfo.LevelInputs read = RunInfo.read(file).levels().get("c004");
    assertEquals(12, read.plannedPrompts());
    assertNull(read.shard());
  }
}
