package llmbench.jvm;

import java.util.List;

/**
 * The JVM flags of the client (run_test.sh, run_vision_test.sh, {@code mvn gatling:test}; the same in
 * {@code bin/classpath.sh} and {@code pom.xml}, which a test compares with this list).
 *
 * <p>C2 with shallow inlining. Measured against a packet capture on a 2-core host shared with the
 * server (docs/PERFORMANCE.md, "The wire"): with C2's defaults the JIT compiled Gatling's, Netty's and
 * Jackson's hot paths during the measured levels for well over 30 s (about 1 s of compiler CPU in
 * every level, 0.1–1.2 s per method), however long the warm-up streamed; C1 alone ends that but costs
 * 60–100 µs of CPU per chunk, and at 64–128 streams its event loops fell behind (chunk delay p99 up
 * to 48 ms). Inlining two levels deep keeps most of C2's speed (37–50 µs per chunk there) for a
 * fraction of its compile time.
 *
 * <p>ZGC: G1's young collections copy every open stream's data; under a busy server one such pause
 * took 47–50 ms and stalled every stream at once (chunk delay p99 15–35 ms at 64–128 streams in two
 * runs of four). With ZGC, whose pauses do not grow with the live data, the same runs stayed at
 * 5.4–9.5 ms, for about the same CPU per chunk.
 */
public final class ClientJvm {
  public static final List<String> OPTIONS = List.of(
      "-XX:MaxInlineLevel=2", "-XX:FreqInlineSize=50", "-XX:InlineSmallCode=500", "-XX:+UseZGC");

  private ClientJvm() {}
}
