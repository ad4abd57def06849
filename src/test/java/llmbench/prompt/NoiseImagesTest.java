package llmbench.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

class NoiseImagesTest {
  /** Decodes the image of a request body the way a server would: from the data URL. */
  static BufferedImage imageOf(byte[] body, String expectMime) throws Exception {
    JsonNode b = new ObjectMapper().readTree(body);
    JsonNode parts = b.get("messages").get(0).get("content");
    assertEquals("text", parts.get(0).get("type").asText());
    String url = parts.get(1).get("image_url").get("url").asText();
    assertTrue(url.startsWith("data:" + expectMime + ";base64,"), url.substring(0, 40));
    byte[] bytes = Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      ImageReader r = readers.next();
      assertEquals(expectMime.substring(6), r.getFormatName().toLowerCase().replace("jpg", "jpeg"));
      r.setInput(in);
      return r.read(0);
    }
  }

  @Test
  void bodiesCarryAnImageOfTheExactSizeAndFormat() throws Exception {
    for (NoiseImages.Format f : NoiseImages.Format.values()) {
      NoiseImages.Spec spec = new NoiseImages.Spec(640, 360, f);
      byte[] body = RequestBodies.plain("m").chat("hello", java.util.List.of(NoiseImages.dataUrl(spec, 1)), 10);
      BufferedImage img = imageOf(body, f == NoiseImages.Format.PNG ? "image/png" : "image/jpeg");
      assertEquals(640, img.getWidth());
      assertEquals(360, img.getHeight());
    }
  }

  @Test
  void pngKeepsTheNoiseExactlyAndSeedsRepeat() throws Exception {
    BufferedImage a = NoiseImages.noise(64, 32, 7);
    byte[] png = NoiseImages.encode(a, NoiseImages.Format.PNG);
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
    assertArrayEquals(a.getRGB(0, 0, 64, 32, null, 0, 64), back.getRGB(0, 0, 64, 32, null, 0, 64));
    assertArrayEquals(a.getRGB(0, 0, 64, 32, null, 0, 64), NoiseImages.noise(64, 32, 7).getRGB(0, 0, 64, 32, null, 0, 64));
  }

  @Test
  void everySeedGivesADistinctImage() {
    Set<String> seen = new HashSet<>();
    NoiseImages.Spec spec = new NoiseImages.Spec(32, 32, NoiseImages.Format.PNG);
    for (int i = 0; i < 50; i++) {
      assertTrue(seen.add(NoiseImages.dataUrl(spec, i)));
    }
    assertFalse(seen.isEmpty());
  }

  @Test
  void rejectsAbsurdSizesAndFormats() {
    assertThrows(IllegalArgumentException.class, () -> new NoiseImages.Spec(0, 10, NoiseImages.Format.PNG));
    assertThrows(IllegalArgumentException.class, () -> new NoiseImages.Spec(10, 16385, NoiseImages.Format.PNG));
    assertThrows(IllegalArgumentException.class, () -> NoiseImages.Format.parse("gif"));
    assertEquals(NoiseImages.Format.JPEG, NoiseImages.Format.parse("jpg"));
  }
}
