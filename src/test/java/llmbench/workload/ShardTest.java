package llmbench.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Shards split a level's users and requests so that together they are exactly the one-machine level. */
class ShardTest {
  @Test
  void theSharesOfUsersSumToTheWholeAndDifferByOneAtMost() {
    for (int total : new int[] {0, 1, 3, 4, 7, 32, 513}) {
      for (int n : new int[] {1, 2, 3, 4, 8}) {
        int sum = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < n; i++) {
          Shard s = new Shard(i, n);
          assertEquals(sum, s.firstUser(total), total + " users, shard " + s);
          sum += s.share(total);
          min = Math.min(min, s.share(total));
          max = Math.max(max, s.share(total));
        }
        assertEquals(total, sum, total + " users over " + n);
        assertTrue(max - min <= 1);
      }
    }
  }

  @Test
  void everyRequestOfALevelIsSentByExactlyOneShard() {
    int users = 8;
    int rounds = 5;
    int n = 3;
    int[] seen = new int[users * rounds];
    for (int i = 0; i < n; i++) {
      Shard s = new Shard(i, n);
      int[] mine = s.closedRequests(users * rounds, users);
      assertEquals(s.share(users) * rounds, mine.length, "shard " + s + ": its users' rounds");
      for (int k : mine) {
        seen[k]++;
        int user = k % users; // the one-machine run's dealing: request k to user k mod users
        assertTrue(user >= s.firstUser(users) && user < s.firstUser(users) + s.share(users));
      }
      Arrays.stream(s.openRequests(40)).forEach(k -> assertEquals(s.index(), k % n, "request-rate: k mod N"));
    }
    assertArrayEquals(IntStream.generate(() -> 1).limit(users * rounds).toArray(), seen);
    assertEquals(40, IntStream.range(0, n).map(i -> new Shard(i, n).openRequests(40).length).sum());
  }

  @Test
  void aShardOfARateLevelKeepsTheGlobalScheduleOfItsRequests() {
    Arrivals a = new Arrivals(20, 1.0, null);
    LevelPlan whole = LevelPlan.open(a, 10, 10, 12, 99L, k -> new byte[] {(byte) k});
    LevelPlan part = whole.shard(new Shard(1, 4));
    assertEquals(3, part.numPrompts());
    assertEquals(3, part.concurrency(), "uncapped: a user per request");
    whole.startOnce(() -> 1_000);
    part.startOnce(() -> 1_000);
    whole.beginDiagnosis(new llmbench.diagnosis.ClientDiagnosis());
    part.beginDiagnosis(new llmbench.diagnosis.ClientDiagnosis());
    part.prepare();
    for (int j = 0; j < 3; j++) {
      assertEquals(whole.dueNs(1 + 4 * j), part.dueNs(j), "request " + (1 + 4 * j) + " at its one-machine time");
      assertEquals(1 + 4 * j, part.body(j)[0], "and its one-machine body");
    }
  }

  @Test
  void theEnginesSayWhichShardThisIs() {
    assertEquals(new Shard(2, 4), Shard.fromEngine(4, Map.of("JOB_COMPLETION_INDEX", "2")));
    assertEquals(new Shard(3, 4), Shard.fromEngine(4, Map.of("SLURM_PROCID", "3", "SLURM_NTASKS", "4")));
    assertThrows(IllegalArgumentException.class, () -> Shard.fromEngine(4, Map.of("SLURM_PROCID", "3", "SLURM_NTASKS", "8")));
    assertThrows(IllegalArgumentException.class, () -> Shard.fromEngine(4, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> Shard.fromEngine(4, Map.of("JOB_COMPLETION_INDEX", "4")));
    assertEquals(new Shard(1, 2), Shard.parse("1/2"));
  }
}
