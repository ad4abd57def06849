package llmbench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadWindowsTest {
  /** 20 requests: 10 due every 0.1 s from 0, then 10 every 0.05 s from 1.2 (the widest gap between). */
  private static double[] dues() {
    double[] due = new double[20];
    for (int i = 0; i < 10; i++) {
      due[i] = i * 0.1;
      due[10 + i] = 1.2 + i * 0.05;
    }
    return due;
  }

  @Test
  void windowsHoldEqualSharesWithEdgesHalfwayAcrossTheWidestGap() {
    double[] due = dues();
    double[] start = new double[20];
    double[] ttft = new double[20];
    boolean[] ok = new boolean[20];
    for (int i = 0; i < 20; i++) {
      start[i] = due[i] + 0.002; // 2 ms late each
      ttft[i] = i < 10 ? 0.010 : 0.030;
      ok[i] = i != 19;
    }
    List<LoadWindows.Window> w = LoadWindows.of(due, start, ttft, ok);
    assertEquals(2, w.size());
    // the first: from 0 to halfway between 0.9 and 1.2
    assertEquals(0.0, w.get(0).startS(), 1e-12);
    assertEquals(1.05, w.get(0).endS(), 1e-12);
    assertEquals(10 / 1.05, w.get(0).scheduledRps(), 1e-9);
    assertEquals(10 / 1.05, w.get(0).achievedRps(), 1e-9);
    assertEquals(10.0, w.get(0).medianTtftMs(), 1e-9);
    // the second: to the last due and half its gap (1.65 + 0.025)
    assertEquals(1.675, w.get(1).endS(), 1e-12);
    assertEquals(10 / 0.625, w.get(1).scheduledRps(), 1e-9);
    assertEquals(1, w.get(1).failed());
    assertEquals(30.0, w.get(1).p99TtftMs(), 1e-9);
  }

  @Test
  void aLateClientShowsAsAShortfallInItsWindow() {
    double[] due = dues();
    double[] start = due.clone();
    start[9] = 1.1; // sent 200 ms late, past the edge at 1.05
    List<LoadWindows.Window> w = LoadWindows.of(due, start, new double[20], new boolean[20]);
    assertEquals(9, w.get(0).requests());
    assertEquals(11, w.get(1).requests());
    assertNull(w.get(0).medianTtftMs(), "no request succeeded");
  }
}
