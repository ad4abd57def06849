package llmbench.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import llmbench.cli.Cli;
import llmbench.cli.SweepCommand;
import llmbench.gatling.sweep.GatlingLauncher;

/** run_test.sh in this JVM, as a test drives it: a sweep that must succeed, or options that must be refused. */
public final class Sweeps {
  private Sweeps() {}

  /** A sweep with {@code args} (Gatling's results under {@code work}, no nvidia-smi) that exits 0; its console. */
  public static String sweep(Path work, String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("--gatling-results", work.resolve("gatling").toString(), "--nvidia-smi", "/nonexistent"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream before = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Cli.runNamed(new SweepCommand(GatlingLauncher::run, false), "run_test.sh", a.toArray(String[]::new)));
    } finally {
      System.setOut(before);
    }
    String console = out.toString(StandardCharsets.UTF_8);
    System.out.print(console);
    return console;
  }

  /**
   * Each of {@code expected}'s options (after {@code common}, with an {@code --out} that holds an earlier
   * result) is refused in its one line, status 2, and nothing in the folder is archived, started or written.
   */
  public static void refusedBeforeAnything(String name, List<String> common, java.util.Map<List<String>, String> expected)
      throws java.io.IOException {
    Path work = java.nio.file.Files.createTempDirectory(java.nio.file.Files.createDirectories(Path.of("target", "it")), name);
    Path out = java.nio.file.Files.createDirectories(work.resolve("output"));
    Path earlier = java.nio.file.Files.writeString(out.resolve("llmbench-8b_100-150_1.json"), "{}");
    for (java.util.Map.Entry<List<String>, String> e : expected.entrySet()) {
      List<String> a = new ArrayList<>(common);
      a.addAll(List.of("--out", out.toString()));
      a.addAll(e.getKey());
      assertEquals(e.getValue(), refused(a));
    }
    try (var files = java.nio.file.Files.list(out)) {
      assertEquals(List.of(earlier), files.toList(), "nothing archived, started or written");
    }
  }

  /** What run_test.sh says on stderr for {@code args}, which it must refuse with status 2. */
  public static String refused(List<String> args) {
    return stderr(args, 2);
  }

  /** What run_test.sh says on stderr for {@code args}, run to its end with {@code status}. */
  public static String stderr(List<String> args, int expectedStatus) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int status;
    try {
      status = Cli.run(new SweepCommand(GatlingLauncher::run, false), args.toArray(String[]::new));
    } finally {
      System.setErr(before);
    }
    assertEquals(expectedStatus, status, args.toString());
    return err.toString(StandardCharsets.UTF_8).strip();
  }
}
