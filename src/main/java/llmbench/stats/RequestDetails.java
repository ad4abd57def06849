package llmbench.stats;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * The bulky part of a level's per-request data (every chunk's ITL, the generated text, the error),
 * kept in two temporary files instead of the heap: a level of 100,000 requests × 250 chunks is
 * 25 million ITLs. Requests are stored in arrival order and read back by index, in any order, or
 * streamed (all ITLs, in nanoseconds) as often as the exact percentiles need.
 */
final class RequestDetails implements AutoCloseable {
  private static final int BUFFER = 1 << 20;

  private final Path itlFile;
  private final Path textFile;
  private final DataOutputStream itlOut;
  private final DataOutputStream textOut;
  private FileChannel itlIn;
  private FileChannel textIn;
  private long[] itlStart = new long[64]; // first ITL of request i, in ITLs; n + 1 entries once closed
  private long[] textStart = new long[64]; // byte offset of request i's text and error
  private int n;
  private long itls;
  private long textBytes;

  RequestDetails(Path dir) {
    try {
      Files.createDirectories(dir);
      itlFile = Files.createTempFile(dir, ".llmbench-itl-", ".tmp");
      textFile = Files.createTempFile(dir, ".llmbench-text-", ".tmp");
      itlFile.toFile().deleteOnExit();
      textFile.toFile().deleteOnExit();
      itlOut = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(itlFile), BUFFER));
      textOut = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(textFile), BUFFER));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create temporary files in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Stores one request: the gaps between consecutive chunk times (ns), its text and error. */
  void add(long[] chunkNs, String text, String error) {
    if (n + 1 >= itlStart.length) {
      itlStart = Arrays.copyOf(itlStart, itlStart.length * 2);
      textStart = Arrays.copyOf(textStart, textStart.length * 2);
    }
    itlStart[n] = itls;
    textStart[n] = textBytes;
    try {
      for (int i = 1; i < chunkNs.length; i++) {
        itlOut.writeLong(chunkNs[i] - chunkNs[i - 1]);
      }
      itls += Math.max(0, chunkNs.length - 1);
      textBytes += writeString(text) + writeString(error);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    n++;
  }

  private int writeString(String s) throws IOException {
    byte[] b = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    textOut.writeInt(s == null ? -1 : b.length);
    textOut.write(b);
    return 4 + b.length;
  }

  int size() {
    return n;
  }

  long itlCount() {
    return itls;
  }

  /** Ends writing; from here on the store is read only. */
  void seal() {
    if (itlIn != null) {
      return;
    }
    itlStart[n] = itls;
    textStart[n] = textBytes;
    try {
      itlOut.close();
      textOut.close();
      itlIn = FileChannel.open(itlFile, StandardOpenOption.READ);
      textIn = FileChannel.open(textFile, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every stored ITL in nanoseconds, in storage order (request by request). */
  void forEachItlNs(LongConsumer sink) {
    seal();
    ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
    try {
      long pos = 0;
      long end = itls * Long.BYTES;
      while (pos < end) {
        buf.clear();
        buf.limit((int) Math.min(buf.capacity(), end - pos));
        while (buf.hasRemaining()) {
          if (itlIn.read(buf, pos + buf.position()) < 0) {
            throw new IOException("temporary ITL file ended early");
          }
        }
        buf.flip();
        pos += buf.remaining();
        while (buf.hasRemaining()) {
          sink.accept(buf.getLong());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ITLs of request {@code i} (arrival order) in seconds, as vLLM's result file has them. */
  double[] itlSeconds(int i) {
    seal();
    int count = (int) (itlStart[i + 1] - itlStart[i]);
    ByteBuffer buf = read(itlIn, itlStart[i] * Long.BYTES, count * Long.BYTES);
    double[] out = new double[count];
    for (int k = 0; k < count; k++) {
      out[k] = buf.getLong() / 1e9;
    }
    return out;
  }

  /** The generated text of request {@code i}, then its error: {@code [text, error]}. */
  String[] textAndError(int i) {
    seal();
    ByteBuffer buf = read(textIn, textStart[i], (int) (textStart[i + 1] - textStart[i]));
    return new String[] {readString(buf), readString(buf)};
  }

  private static String readString(ByteBuffer buf) {
    int len = buf.getInt();
    if (len < 0) {
      return null;
    }
    byte[] b = new byte[len];
    buf.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static ByteBuffer read(FileChannel ch, long pos, int len) {
    ByteBuffer buf = ByteBuffer.allocate(len);
    try {
      while (buf.hasRemaining()) {
        if (ch.read(buf, pos + buf.position()) < 0) {
          throw new IOException("temporary file ended early");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buf.flip();
  }

  @Override
  public void close() {
    try {
      itlOut.close();
      textOut.close();
      if (itlIn != null) {
        itlIn.close();
        textIn.close();
      }
      Files.deleteIfExists(itlFile);
      Files.deleteIfExists(textFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
