package llmbench.mock;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Image tokens by Qwen2-VL's rule (transformers' image_processing_qwen2_vl.smart_resize): resize to
 * multiples of 28 within [minPixels, maxPixels] keeping the aspect ratio, then one token per 28×28 patch.
 */
final class ImageTokens {
  static final int PATCH = 28;

  private ImageTokens() {}

  record Size(int width, int height) {}

  static int tokens(int width, int height, int minPixels, int maxPixels) {
    double h = Math.max(PATCH, Math.round((double) height / PATCH) * PATCH);
    double w = Math.max(PATCH, Math.round((double) width / PATCH) * PATCH);
    if (h * w > maxPixels) {
      double beta = Math.sqrt((double) height * width / maxPixels);
      h = Math.floor(height / beta / PATCH) * PATCH;
      w = Math.floor(width / beta / PATCH) * PATCH;
    } else if (h * w < minPixels) {
      double beta = Math.sqrt((double) minPixels / ((double) height * width));
      h = Math.ceil(height * beta / PATCH) * PATCH;
      w = Math.ceil(width * beta / PATCH) * PATCH;
    }
    return (int) ((h / PATCH) * (w / PATCH));
  }

  /** A short fingerprint of an image's data, to tell images apart in the ground truth. */
  static String digest(String url) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(url.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return java.util.HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads the size from a {@code data:image/...;base64,} URL; rejects anything that is not an image. */
  static Size sizeOf(String url) {
    if (url == null || !url.startsWith("data:image/")) {
      throw new IllegalArgumentException("image_url must be a base64 data URL (data:image/...;base64,...)");
    }
    int comma = url.indexOf(',');
    if (comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
      throw new IllegalArgumentException("image_url is not a base64 data URL");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(url.substring(comma + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("image_url holds invalid base64: " + e.getMessage());
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IllegalArgumentException("cannot identify image file");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        return new Size(reader.getWidth(0), reader.getHeight(0));
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot identify image file: " + e.getMessage());
    }
  }
}
