package llmbench.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import llmbench.config.RunConfig;
import llmbench.config.RunOptions;
import llmbench.config.ShardConfig;
import llmbench.merge.ShardMerge;
import llmbench.prompt.TextTokenizer;
import llmbench.run.SweepRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ./run_test.sh} and {@code ./run_vision_test.sh}: the options become one checked
 * {@link RunConfig} (a mistake is one line, status 2, before anything is archived, started or
 * written), which the sweep runs.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false,
    description = "Benchmark an OpenAI-compatible server (vLLM first) with the seed's text profiles "
        + "(run_test.sh) or vision profiles (run_vision_test.sh [IM_WIDTH IM_HEIGHT]).%n"
        + "Results go to the output folder; an earlier run's files there move to archive/<date>/.")
public final class SweepCommand implements Callable<Integer>, Cli.Examples {
  @Spec
  CommandSpec spec;
  @Mixin
  RunOptions options = new RunOptions();

  private final SweepRunner.Launcher launcher;
  private final boolean vision;

  /** @param vision run_vision_test.sh: vision profiles, one noise image per request */
  public SweepCommand(SweepRunner.Launcher launcher, boolean vision) {
    this.launcher = launcher;
    this.vision = vision;
  }

  public String commandName() {
    return vision ? "run_vision_test.sh" : "run_test.sh";
  }

  @Override
  public List<String> examples() {
    return vision
        ? List.of("./run_vision_test.sh 512 512 --mock", "./run_vision_test.sh 1024 1024 --url http://gpu-node:8000",
            "./run_vision_test.sh 448 448 --image-format jpeg --rounds 4")
        : List.of("./run_test.sh --mock", "./run_test.sh --url http://gpu-node:8000 --request-rate 1,4,16,inf",
            "./run_test.sh --mock --find-capacity --slo ttft_p99:500,tpot_p99:20");
  }

  @Override
  public Integer call() throws Exception {
    RunConfig config = options.toConfig(spec.commandLine().getParseResult(), vision, true, System.getenv());
    SweepRunner sweep = new SweepRunner(config, launcher);
    int status = sweep.run();
    ShardConfig shards = config.shards();
    if (shards.mergeInto() == null || !shards.shard().first()) {
      return status;
    }
    // --merge-into: the shards' folders, as each told shard 0 at the sweep's end (on a shared volume)
    Map<Integer, Path> outs = sweep.shardOutputs();
    System.out.println("\n=== merging " + outs.size() + " of " + shards.shard().count() + " shards into "
        + shards.mergeInto() + " ===");
    Path tokenizer = config.server().tokenizerDir() != null ? config.server().tokenizerDir() : TextTokenizer.DEFAULT_DIR;
    try (TextTokenizer tok = TextTokenizer.loadOrBuiltin(tokenizer)) {
      ShardMerge.merge(shards.mergeInto(), List.copyOf(outs.values()), tok::countText, System.out);
    } catch (IOException | RuntimeException e) {
      System.err.println("error: the merge into " + shards.mergeInto() + " failed: " + e.getMessage()
          + " (each shard's results are in its own folder; ./merge.sh merges them)");
      return Cli.FAILED;
    }
    return status;
  }
}
