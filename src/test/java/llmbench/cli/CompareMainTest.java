package llmbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two comparisons started in the same second each get a folder of their own. */
class CompareMainTest {
  @Test
  void comparisonsStartedTogetherNeverShareAFolder(@TempDir Path dir) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Path>> claims = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        claims.add(pool.submit(() -> CompareMain.claim(dir, "compare-20261203-101500")));
      }
      Set<String> names = new TreeSet<>();
      for (Future<Path> f : claims) {
        Path p = f.get();
        assertEquals(true, Files.isDirectory(p));
        names.add(p.getFileName().toString());
      }
      assertEquals(Set.of("compare-20261203-101500", "compare-20261203-101500-2", "compare-20261203-101500-3",
          "compare-20261203-101500-4", "compare-20261203-101500-5", "compare-20261203-101500-6",
          "compare-20261203-101500-7", "compare-20261203-101500-8"), names);
    } finally {
      pool.shutdown();
    }
  }
}
