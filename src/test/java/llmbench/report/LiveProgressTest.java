package llmbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import llmbench.trace.RequestRecord;
import org.junit.jupiter.api.Test;

/** The live line's fields, from records and a clock the test moves. */
class LiveProgressTest {
  private static final long S = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(100 * S);
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

  private LiveProgress progress(boolean inPlace) {
    return new LiveProgress(new PrintStream(buf, true, StandardCharsets.UTF_8), inPlace, 5000, now::get);
  }

  private static RequestRecord record(String level, long startNs, double ttftS, int tokens, boolean ok) {
    long first = startNs + Math.round(ttftS * S);
    return new RequestRecord("id", "high", level, 5, 100, 200, startNs, first + S, 0, new long[] {first, first + S},
        100, tokens, "", ok, ok ? null : "boom");
  }

  @Test
  void theLineCountsDoneFailedTokensTtftAndTime() {
    LiveProgress p = progress(false);
    p.levelStarted("high c005", "c005", 5);
    p.record(record("c005", now.get(), 1.5, 2048, true));
    p.record(record("c005", now.get(), 2.3, 2048, true));
    p.record(record("c005", now.get(), 1.9, 2048, true));
    p.record(record("c004", now.get(), 9, 2048, true)); // another level's: not counted
    p.record(record("warmup", now.get(), 9, 16, true));
    for (int i = 0; i < 7000; i++) {
      p.chunk(); // streamed so far, by the five requests
    }
    now.addAndGet(10 * S);
    // 3 of 5 in 10 s: 7,000 chunks / 10 s while it runs; the median TTFT of 1.5, 1.9, 2.3; 2 more at 10 s / 3 each
    assertEquals("high c005  3/5 done  0 failed  700 chunks/s  TTFT p50 1.9 s  elapsed 10 s  ETA 6.7 s", p.line());
    p.record(record("c005", now.get(), 0, 0, false));
    p.levelEnded();
    // ended: the tokens of the finished requests (3 × 2,048 over 10 s)
    assertTrue(p.line().startsWith("high c005  4/5 done  1 failed  614 tok/s  TTFT p50 1.9 s"), p.line());
  }

  /** An open level's line says where its schedule's clock is and how late the client has sent so far. */
  @Test
  void aScheduleShowsItsClockAndItsLag() {
    LiveProgress p = progress(false);
    p.levelStarted("low x2", "x2", 3);
    p.schedule(now.get(), now.get() + 60 * S);
    long due = now.get() + S;
    RequestRecord r = record("x2", due + 700_000, 0.1, 10, true); // sent 0.7 ms after it could go
    p.record(new RequestRecord(r.id(), r.profile(), r.level(), r.concurrency(), r.requestedInput(), r.requestedOutput(),
        r.startNs(), r.endNs(), r.startEpochMs(), r.chunkNs(), r.promptTokens(), r.completionTokens(), r.generatedText(),
        true, null, due, due, 0, 0, 0, 0, 0, -1, null, null, null, false, null, null, 0));
    now.addAndGet(12 * S);
    assertTrue(p.line().endsWith("elapsed 12 s  schedule 12 s of 60 s, lag max 0.7 ms  ETA 24 s"), p.line());
  }

  /** With the level's tokens known, the ETA is the tokens still to come over the rate they came at. */
  @Test
  void theEtaIsTheTokensLeftOverTheirRate() {
    LiveProgress p = progress(false);
    p.levelStarted("low c004", "c004", 4, 600);
    for (int i = 0; i < 200; i++) {
      p.chunk();
    }
    now.addAndGet(4 * S);
    // 200 of 600 tokens in 4 s: 400 more at 50/s
    assertTrue(p.line().endsWith("elapsed 4.0 s  ETA 8.0 s"), p.line());
  }

  /** Requests that wait for headers while no chunk comes: the log says so once, at 2 s, not at the period. */
  @Test
  void aLevelWaitingForHeadersSaysSoAtOnce() {
    LiveProgress p = progress(false);
    p.levelStarted("low c004", "c004", 4);
    p.tickOnce();
    for (int i = 0; i < 4; i++) {
      p.waiting(1);
    }
    now.addAndGet(S);
    p.tickOnce();
    assertEquals("", buf.toString(), "1 s without a chunk: nothing yet");
    now.addAndGet(S);
    p.tickOnce();
    assertEquals("low c004  0/4 done  0 failed  0 chunks/s  elapsed 2.0 s  no chunk for 2.0 s, 4 waiting for response "
        + "headers" + System.lineSeparator(), buf.toString());
    now.addAndGet(S);
    p.tickOnce();
    assertEquals(1, buf.toString().lines().count(), "once");
    p.waiting(-4);
    p.chunk();
    assertTrue(!p.line().contains("waiting"), p.line());
  }

  @Test
  void aLogGetsALinePerPeriodAndAFinalOneWhenTheLastRecordIsIn() {
    LiveProgress p = progress(false);
    p.levelStarted("low c002", "c002", 2);
    now.addAndGet(4 * S);
    p.tickOnce();
    assertEquals("", buf.toString(), "not before the period");
    now.addAndGet(S);
    p.tickOnce();
    p.record(record("c002", now.get(), 0.5, 150, true));
    p.levelEnded();
    p.tickOnce(); // one record still on its way: no final line yet
    p.record(record("c002", now.get(), 0.5, 150, true));
    now.addAndGet(S);
    p.tickOnce();
    p.tickOnce();
    String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length, buf.toString());
    assertEquals("low c002  0/2 done  0 failed  0 chunks/s  elapsed 5.0 s", lines[0]);
    assertEquals("low c002  2/2 done  0 failed  60 tok/s  TTFT p50 500 ms  elapsed 5.0 s", lines[1]);
  }

  @Test
  void aLevelWhoseRecordsArriveAfterTheNextStartedStillGetsThemCounted() {
    LiveProgress p = progress(false);
    p.levelStarted("low c001", "c001", 1);
    now.addAndGet(S);
    p.levelEnded();
    p.levelStarted("low c004", "c004", 4); // before c001's record came through the trace writer
    p.record(record("c001", now.get(), 0.2, 150, true));
    p.record(record("c004", now.get(), 0.3, 150, true));
    p.tickOnce();
    assertEquals("low c001  1/1 done  0 failed  150 tok/s  TTFT p50 200 ms  elapsed 1.0 s\n",
        buf.toString(StandardCharsets.UTF_8));
    assertTrue(p.line().startsWith("low c004  1/4 done"), p.line());
  }

  @Test
  void aTerminalLineIsRewrittenInPlace() {
    LiveProgress p = progress(true);
    p.levelStarted("low c001", "c001", 1);
    now.addAndGet(6 * S);
    p.tickOnce();
    p.record(record("c001", now.get(), 0.2, 150, true));
    p.levelEnded();
    p.tickOnce();
    String s = buf.toString(StandardCharsets.UTF_8);
    assertTrue(s.startsWith("\rlow c001  0/1 done"), s);
    assertTrue(s.endsWith("\n") && s.split("\n").length == 1 && s.chars().filter(c -> c == '\r').count() == 2, s);
  }
}
