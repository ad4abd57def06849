package llmbench.testutil;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** A disk that fills after {@code room} bytes: a write that does not fit fails whole, as a full file system's does. */
public final class FullDisk extends FilterOutputStream {
  private long room;

  public FullDisk(OutputStream out, long room) {
    super(out);
    this.room = room;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (len > room) {
      throw new IOException("No space left on device");
    }
    room -= len;
    out.write(b, off, len);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }
}
