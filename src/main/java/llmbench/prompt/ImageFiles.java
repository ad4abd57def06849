package llmbench.prompt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

/** A user's image files, sent as they are in {@code data:} URLs (the server decodes them, as it would a client's). */
public final class ImageFiles {
  private ImageFiles() {}

  /** The file's media type by its name; null for a kind the OpenAI API does not take. */
  public static String mime(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".png") ? "image/png" : name.endsWith(".jpg") || name.endsWith(".jpeg") ? "image/jpeg"
        : name.endsWith(".webp") ? "image/webp" : name.endsWith(".gif") ? "image/gif" : null;
  }

  public static String dataUrl(Path file) {
    try {
      return "data:" + mime(file) + ";base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image file " + file, e);
    }
  }
}
