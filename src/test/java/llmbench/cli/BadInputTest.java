package llmbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's mistake, through the scripts' entry point: status 2, one line on stderr that names the
 * option, nothing on stdout, nothing started (the launcher is never called) and the output folder,
 * with an earlier run's results in it, exactly as it was.
 */
class BadInputTest {
  /** The arguments, and the option (or word) the one line must name. */
  private record Case(boolean vision, String mustName, List<String> args) {}

  private static Case text(String mustName, String... args) {
    return new Case(false, mustName, List.of(args));
  }

  @Test
  void everyMistakeIsOneLineNamingTheOptionAndTheOutputFolderIsUntouched(@TempDir Path dir) throws IOException {
    Path out = Files.createDirectories(dir.resolve("output"));
    Files.writeString(out.resolve("llmbench-8b_100-150_32.json"), "{\"an\": \"earlier result\"}");
    Files.createDirectories(out.resolve("gatling").resolve("lowload-1"));
    Files.writeString(out.resolve("summary.md"), "| earlier |");
    Path noPrompt = Files.writeString(dir.resolve("no-prompt.jsonl"), "{\"output_tokens\": 5}\n");
    Path badWorkload = Files.writeString(dir.resolve("w.yaml"),
        "profiles:\n  - name: x\n    input_len: 10\n    output_len: 5\n    concurrency: 2\n    colour: blue\n");
    List<Case> cases = List.of(
        text("--request-rate", "--request-rate", "fast"),
        text("--request-rate", "--request-rate", "2,2"),
        text("--request-rate", "--request-rate", "0"),
        text("--burstiness", "--burstiness", "0.5"),
        text("--burstiness", "--request-rate", "4", "--burstiness", "-1"),
        text("--slo", "--find-capacity", "--slo", "ttft_p99:fast"),
        text("--slo", "--find-capacity"),
        text("--slo", "--slo", "ttft_p99:500"),
        text("--max-load", "--find-capacity", "--slo", "ttft_p99:500", "--max-load", "2.5"),
        text("--dataset", "--dataset", "jsonl:" + noPrompt),
        text("--dataset", "--dataset", "jsonl:" + dir.resolve("missing.jsonl")),
        text("--dataset", "--dataset", "csv:" + noPrompt),
        text("--workload", "--workload", dir.resolve("missing.yaml").toString()),
        text("--workload", "--workload", badWorkload.toString()),
        text("--url", "--url", "not-a-url"),
        text("--percentiles", "--percentiles", "150"),
        text("--profiles", "--profiles", "huge"),
        text("--rounds", "--rounds", "0"),
        text("--rounds", "--rounds", "x"),
        text("--timeout", "--timeout", "0"),
        text("--headers-timeout", "--timeout", "5", "--headers-timeout", "10"),
        text("--chunk-timeout", "--chunk-timeout", "0"),
        text("--endpoint", "--endpoint", "grpc"),
        text("--tokenizer", "--tokenizer", dir.resolve("no-tokenizer").toString()),
        text("--turns", "--turns", "2", "--request-rate", "4"),
        text("--goodput", "--goodput", "ttft"),
        text("--input-len", "--input-len", "0"),
        text("--mock-max-num-seqs", "--mock", "--mock-max-num-seqs", "0"),
        text("--connections", "--connections", "pooled"),
        text("--nope", "--nope"),
        text("--shard", "--shard", "4/4", "--seed", "1", "--coordinator", "h:7070"),
        text("--shard", "--shard", "one"),
        text("--seed", "--shard", "1/4", "--coordinator", "h:7070"),
        text("--coordinator", "--shard", "1/4", "--seed", "1"),
        text("--coordinator", "--shard", "1/4", "--seed", "1", "--coordinator", "no-port"),
        text("--barrier-timeout", "--barrier-timeout", "5"),
        text("--merge-into", "--merge-into", "merged"),
        text("--merge-into", "--shard", "0/2", "--seed", "1", "--coordinator", "h:7070", "--merge-into",
            out.toString()),
        text("--barrier-timeout", "--shard", "1/4", "--seed", "1", "--coordinator", "h:7070", "--barrier-timeout", "0"),
        text("--shard", "--mock", "--shard", "0/2", "--seed", "1", "--coordinator", "h:7070"),
        text("--max-concurrency", "--request-rate", "4", "--max-concurrency", "2", "--shard", "0/4", "--seed", "1",
            "--coordinator", "h:7070"),
        new Case(true, "IM_WIDTH IM_HEIGHT", List.of("0", "512")),
        new Case(true, "IM_WIDTH IM_HEIGHT", List.of("512")),
        new Case(true, "--image-format", List.of("--image-format", "gif")));
    Map<String, String> before = snapshot(out);
    List<String> problems = new ArrayList<>();
    for (Case c : cases) {
      List<String> args = new ArrayList<>(c.args());
      args.addAll(List.of("--out", out.toString(), "--gatling-results", dir.resolve("gatling").toString()));
      SweepCommand command = new SweepCommand(job -> {
        throw new AssertionError("the run started for " + c.args());
      }, c.vision());
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      PrintStream oldErr = System.err;
      PrintStream oldOut = System.out;
      int status;
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      try {
        status = Cli.runNamed(command, command.commandName(), args.toArray(String[]::new));
      } finally {
        System.setErr(oldErr);
        System.setOut(oldOut);
      }
      List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
      if (status != 2 || lines.size() != 1 || !lines.get(0).startsWith("error: ") || !lines.get(0).contains(c.mustName())
          || stdout.size() > 0) {
        problems.add(c.args() + ": status " + status + ", stderr " + lines + ", stdout " + stdout);
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertEquals(before, snapshot(out), "the output folder changed");
    assertTrue(!Files.exists(dir.resolve("gatling")), "Gatling's results folder was made");
  }

  /** Every file and folder under {@code dir}, with its contents. */
  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        m.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "/" : Files.readString(p));
      }
    }
    return m;
  }
}
