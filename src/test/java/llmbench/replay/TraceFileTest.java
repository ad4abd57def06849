package llmbench.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import llmbench.testutil.TraceSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceFileTest {
  @TempDir
  Path dir;

  @Test
  void mooncakeTimesAreMillisecondsAndItsBlocksAreKept() throws Exception {
    Path f = Files.write(dir.resolve("m.jsonl"), List.of(
        "{\"timestamp\": 1000, \"input_length\": 600, \"output_length\": 5, \"hash_ids\": [7, 9]}",
        "",
        "{\"timestamp\": 1250, \"input_length\": 30, \"output_length\": 2, \"hash_ids\": [7]}"));
    TraceFile.Read r = TraceFile.read(TraceFormat.MOONCAKE, f, TraceWindow.ALL);
    assertEquals(2, r.entries().size());
    assertEquals(0.0, r.entries().get(0).arrivalS()); // relative to the first entry
    assertEquals(0.25, r.entries().get(1).arrivalS(), 1e-12);
    assertArrayEquals(new long[] {7, 9}, r.entries().get(0).hashIds());
    assertEquals(600, r.entries().get(0).inputLen());
    assertEquals(3, r.entries().get(1).line());
  }

  @Test
  void timedTraceTimesAreSeconds() throws Exception {
    Path f = Files.write(dir.resolve("t.jsonl"), List.of(
        "{\"timestamp\": 2.5, \"input_length\": 40, \"output_length\": 5, \"hash_ids\": [1, 2, 3]}",
        "{\"timestamp\": 4.0, \"input_length\": 40, \"output_length\": 5}"));
    TraceFile.Read r = TraceFile.read(TraceFormat.TIMED_TRACE, f, TraceWindow.ALL);
    assertEquals(1.5, r.entries().get(1).arrivalS(), 1e-12);
    assertEquals(0, r.entries().get(1).hashIds().length);
    assertEquals(16, TraceFormat.TIMED_TRACE.defaultBlockSize());
    assertEquals(512, TraceFormat.MOONCAKE.defaultBlockSize());
  }

  @Test
  void azureWallClockTimesAreTakenRelativeToTheFirstInBothStyles() throws Exception {
    List<TraceSamples.Row> rows = List.of(new TraceSamples.Row(0, 100, 10, new long[0]),
        new TraceSamples.Row(0.0123456, 200, 20, new long[0]), new TraceSamples.Row(61.5, 300, 30, new long[0]));
    for (boolean offset : new boolean[] {false, true}) {
      Path f = TraceSamples.writeAzure(dir.resolve("a" + offset + ".csv"), rows,
          LocalDateTime.of(2023, 11, 16, 18, 59, 59, 900_000_000), offset);
      TraceFile.Read r = TraceFile.read(TraceFormat.AZURE, f, TraceWindow.ALL);
      assertEquals(3, r.entries().size());
      assertEquals(0.0123456, r.entries().get(1).arrivalS(), 1e-7); // across a minute and an hour
      assertEquals(61.5, r.entries().get(2).arrivalS(), 1e-7);
      assertEquals(300, r.entries().get(2).inputLen());
      assertEquals(30, r.entries().get(2).outputLen());
    }
  }

  @Test
  void burstGptFailedRowsAreSkippedAndCounted() throws Exception {
    Path f = Files.write(dir.resolve("b.csv"), List.of(
        "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type",
        "5,ChatGPT,472,18,490,Conversation log",
        "45,ChatGPT,1087,0,1087,Conversation log",
        "118,GPT-4,417,276,693,API log"));
    TraceFile.Read r = TraceFile.read(TraceFormat.BURSTGPT, f, TraceWindow.ALL);
    assertEquals(2, r.entries().size());
    assertEquals(1, r.failed());
    assertEquals(3, r.rows());
    assertEquals(113.0, r.entries().get(1).arrivalS(), 1e-12);
    assertEquals(4, r.entries().get(1).line());
  }

  @Test
  void aWindowCutsASliceAndNumPromptsCapsIt() throws Exception {
    List<TraceSamples.Row> rows = TraceSamples.plain(50, 5, 10, 1);
    Path f = TraceSamples.writeBurstGpt(dir.resolve("w.csv"), rows, 100);
    TraceFile.Read all = TraceFile.read(TraceFormat.BURSTGPT, f, TraceWindow.ALL);
    assertEquals(50, all.entries().size());
    double from = rows.get(10).atS();
    double to = rows.get(30).atS();
    TraceFile.Read slice = TraceFile.read(TraceFormat.BURSTGPT, f, new TraceWindow(from, to, null));
    assertEquals(20, slice.entries().size());
    assertEquals(rows.get(10).input(), slice.entries().get(0).inputLen());
    TraceFile.Read capped = TraceFile.read(TraceFormat.BURSTGPT, f, new TraceWindow(from, to, 5));
    assertEquals(5, capped.entries().size());
    assertEquals(rows.get(14).input(), capped.entries().get(4).inputLen());
  }

  @Test
  void badTracesNameTheFileAndTheLine() throws Exception {
    Path missing = Files.write(dir.resolve("missing.jsonl"), List.of(
        "{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 5}",
        "{\"timestamp\": 5, \"output_length\": 5}"));
    String m = assertThrows(IllegalArgumentException.class,
        () -> TraceFile.read(TraceFormat.MOONCAKE, missing, TraceWindow.ALL)).getMessage();
    assertEquals("mooncake:" + missing + " line 2: no \"input_length\"", m);

    Path negative = Files.write(dir.resolve("neg.csv"), List.of("TIMESTAMP,ContextTokens,GeneratedTokens",
        "2023-11-16 18:15:46.6805900,374,44", "2023-11-16 18:15:50.9951690,-3,17"));
    m = assertThrows(IllegalArgumentException.class,
        () -> TraceFile.read(TraceFormat.AZURE, negative, TraceWindow.ALL)).getMessage();
    assertTrue(m.startsWith("azure:" + negative + " line 3: ContextTokens must be a whole number"), m);

    Path unsorted = Files.write(dir.resolve("u.csv"), List.of(
        "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type",
        "5,ChatGPT,472,18,490,Conversation log", "9,ChatGPT,10,18,28,Conversation log",
        "7,ChatGPT,10,18,28,Conversation log"));
    m = assertThrows(IllegalArgumentException.class,
        () -> TraceFile.read(TraceFormat.BURSTGPT, unsorted, TraceWindow.ALL)).getMessage();
    assertTrue(m.startsWith("burstgpt:" + unsorted + " line 4: timestamp 7.0 s is before line 3's"), m);

    Path noColumn = Files.write(dir.resolve("nc.csv"), List.of("TIMESTAMP,ContextTokens", "2023-11-16 18:15:46,3"));
    m = assertThrows(IllegalArgumentException.class,
        () -> TraceFile.read(TraceFormat.AZURE, noColumn, TraceWindow.ALL)).getMessage();
    assertTrue(m.startsWith("azure:" + noColumn + " line 1: no column \"GeneratedTokens\""), m);
  }
}
