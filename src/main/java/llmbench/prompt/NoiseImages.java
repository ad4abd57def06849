package llmbench.prompt;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.commons.imaging.ImageFormats;
import org.apache.commons.imaging.Imaging;
import org.apache.commons.imaging.ImagingException;

/**
 * Uniform random RGB noise images, as vLLM's random-mm dataset makes them: one per request, seeded,
 * built before the level starts (noise barely compresses, so servers cannot cache or shrink it).
 * PNG through Commons Imaging; JPEG (quality 75, vLLM's convention) through the JDK's ImageIO.
 */
public final class NoiseImages {
  public static final int MAX_SIDE = 16384;

  public enum Format {
    PNG("image/png"), JPEG("image/jpeg");

    final String mime;

    Format(String mime) {
      this.mime = mime;
    }

    public static Format parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "png" -> PNG;
        case "jpeg", "jpg" -> JPEG;
        default -> throw new IllegalArgumentException("image format must be png or jpeg, not '" + s + "'");
      };
    }
  }

  /** The size and format of every request's image. */
  public record Spec(int width, int height, Format format) {
    public Spec {
      if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
        throw new IllegalArgumentException("image size " + width + "x" + height
            + " is out of range: width and height must be between 1 and " + MAX_SIDE);
      }
    }

    public String label() {
      return width + "x" + height;
    }
  }

  private NoiseImages() {}

  public static BufferedImage noise(int width, int height, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        row[x] = r.nextInt(1 << 24);
      }
      img.setRGB(0, y, width, 1, row, 0, width);
    }
    return img;
  }

  public static byte[] encode(BufferedImage img, Format format) {
    try {
      if (format == Format.PNG) {
        return Imaging.writeImageToBytes(img, ImageFormats.PNG);
      }
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
        writer.setOutput(ios);
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.75f);
        writer.write(null, new IIOImage(img, null, null), p);
      } finally {
        writer.dispose();
      }
      return out.toByteArray();
    } catch (ImagingException e) {
      throw new IllegalStateException("cannot encode PNG: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh noise image as a {@code data:image/...;base64,} URL. */
  public static String dataUrl(Spec spec, long seed) {
    byte[] bytes = encode(noise(spec.width(), spec.height(), seed), spec.format());
    return "data:" + spec.format().mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
  }
}
