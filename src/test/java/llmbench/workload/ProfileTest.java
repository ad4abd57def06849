package llmbench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed's profiles (FIELD_NOTES §1) and the run parameters read from -Dllm.* properties. */
class ProfileTest {
  @Test
  void seedProfiles() {
    assertEquals(List.of(1, 5, 10), Profile.HIGH.levels());
    assertEquals(14336, Profile.HIGH.inputFor(16384));
    assertEquals(2048, Profile.HIGH.outputLen());
    assertEquals(List.of(32, 64, 128), Profile.MEDIUM.levels());
    assertEquals(200, Profile.MEDIUM.inputFor(16384));
    assertEquals(List.of(1, 4, 8, 16, 32), Profile.LOW.levels());
    assertEquals(List.of(8, 16, 32, 64, 128), Profile.VISION1.levels());
    assertEquals(50, Profile.VISION1.inputLen());
    assertEquals(300, Profile.VISION1.outputLen());
    assertEquals(List.of(1, 8, 16, 32), Profile.VISION2.levels());
    assertEquals(100, Profile.VISION2.outputLen());
    assertTrue(Profile.VISION2.vision());
  }

  @Test
  void fitInTheContext() {
    assertNull(Profile.HIGH.doesNotFit(4096));
    assertTrue(Profile.HIGH.doesNotFit(2048).contains("max_model_len is 2048"));
    assertTrue(Profile.MEDIUM.doesNotFit(400).contains("needs 450 tokens"));
  }
}
