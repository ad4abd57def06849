package llmbench.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageMixTest {
  @Test
  void theSeedsOneImageKeepsItsNameAndItsSeed() {
    NoiseImages.Spec spec = new NoiseImages.Spec(64, 32, NoiseImages.Format.PNG);
    ImageMix one = ImageMix.single(spec);
    assertTrue(one.single());
    assertEquals("64x32", one.label());
    assertEquals(List.of(NoiseImages.dataUrl(spec, 5)), one.dataUrls(5));
  }

  @Test
  void countsAndSizesAreDrawnPerRequestByWeight() throws Exception {
    ImageMix mix = ImageMix.parse("32x32:3, 48x16:1", "2-4", NoiseImages.Format.PNG);
    assertEquals("32x32+48x16_k2-4", mix.label());
    Map<String, Integer> sizes = new HashMap<>();
    Map<Integer, Integer> counts = new HashMap<>();
    for (long r = 0; r < 300; r++) {
      List<String> urls = mix.dataUrls(r);
      counts.merge(urls.size(), 1, Integer::sum);
      for (String u : urls) {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(u.substring(u.indexOf(',') + 1))));
        sizes.merge(img.getWidth() + "x" + img.getHeight(), 1, Integer::sum);
      }
    }
    assertEquals(Map.of(2, counts.get(2), 3, counts.get(3), 4, counts.get(4)), counts, "2, 3 or 4 images");
    counts.values().forEach(c -> assertTrue(c > 70 && c < 130, "about a third each: " + counts));
    double share = sizes.get("32x32") / (double) (sizes.get("32x32") + sizes.get("48x16"));
    assertEquals(0.75, share, 0.05, "weights 3:1");
    List<String> a = mix.dataUrls(9);
    assertEquals(a, mix.dataUrls(9), "seeded");
    assertFalse(a.get(0).equals(a.get(1)), "each image its own noise");
  }

  @Test
  void mistakesNameTheOption() {
    assertEquals("--image-sizes: '512' is not WIDTHxHEIGHT or WIDTHxHEIGHT:WEIGHT", assertThrows(
        IllegalArgumentException.class, () -> ImageMix.parse("512", "1", NoiseImages.Format.PNG)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ImageMix.parse("512x512", "3-1", NoiseImages.Format.PNG)).getMessage().startsWith("--images-per-request"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ImageMix.parse("512x512:0", "1", NoiseImages.Format.PNG)).getMessage().startsWith("--image-sizes"));
  }
}
