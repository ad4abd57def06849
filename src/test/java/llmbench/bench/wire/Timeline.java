package llmbench.bench.wire;

import java.util.Arrays;

/**
 * One direction of a TCP connection: its bytes in order, and when each could first be read. TCP
 * delivers in order, so a byte is readable once it and every byte before it have arrived: its time
 * is the latest capture time of the segments up to its own (the same as its segment's on loopback,
 * where segments do not overtake each other).
 */
public final class Timeline {
  private byte[] bytes = new byte[4096];
  private int size;
  private long[] starts = new long[64]; // offset of each segment's first byte
  private long[] times = new long[64];
  private int segments;

  void append(byte[] p, int from, long tsNs) {
    int n = p.length - from;
    if (size + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
    }
    System.arraycopy(p, from, bytes, size, n);
    if (segments == starts.length) {
      starts = Arrays.copyOf(starts, segments * 2);
      times = Arrays.copyOf(times, segments * 2);
    }
    starts[segments] = size;
    times[segments] = segments == 0 ? tsNs : Math.max(tsNs, times[segments - 1]);
    segments++;
    size += n;
  }

  public int size() {
    return size;
  }

  public byte at(int i) {
    return bytes[i];
  }

  public byte[] slice(int from, int to) {
    return Arrays.copyOfRange(bytes, from, to);
  }

  /** When byte {@code offset} could first be read (see the class comment). */
  public long timeOf(long offset) {
    int i = Arrays.binarySearch(starts, 0, segments, offset);
    if (i < 0) {
      i = -i - 2;
    }
    return times[Math.max(0, i)];
  }

  /** Index of the first occurrence of {@code pattern} at or after {@code from}, or -1. */
  public int indexOf(byte[] pattern, int from) {
    outer:
    for (int i = from; i <= size - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (bytes[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
