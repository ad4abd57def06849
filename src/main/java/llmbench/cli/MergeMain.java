package llmbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import llmbench.merge.ShardMerge;
import llmbench.prompt.TextTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./merge.sh OUT SHARD_DIR...}: the shards' output folders as one run. */
@Command(name = "merge.sh", mixinStandardHelpOptions = true,
    description = "Merges the --out folders of a sharded sweep (./run_test.sh ... --shard I/N) into one run: "
        + "the seed's result files, the blocks, the summary, the report and mem_usage.txt, every percentile "
        + "from the union of the shards' requests. A missing shard makes its levels partial (said so).",
    footer = {"%nExamples:", "  ./merge.sh output/merged output/shard-0 output/shard-1 output/shard-2 output/shard-3",
        "  ./merge.sh /results/merged /results/shard-*"})
public final class MergeMain implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "OUT", description = "Where the merged run goes (an earlier one moves to archive/).")
  Path out;
  @Parameters(index = "1..*", paramLabel = "SHARD_DIR", arity = "1..*", description = "The shards' --out folders.")
  List<Path> shards;
  @Option(names = "--tokenizer", description = "tokenizer.json folder, to count output tokens when the server sent "
      + "no usage (default: ${DEFAULT-VALUE}).")
  Path tokenizer = Path.of("fake_model");

  public static void main(String[] args) {
    System.exit(Cli.run(new MergeMain(), args));
  }

  @Override
  public Integer call() throws Exception {
    for (Path s : shards) {
      if (!Files.isDirectory(s)) {
        throw new Cli.UserError("SHARD_DIR " + s + " is not a folder");
      }
    }
    try (TextTokenizer tok = TextTokenizer.loadOrBuiltin(tokenizer)) {
      return ShardMerge.merge(out, shards, tok::countText, System.out).isEmpty() ? Cli.FAILED : Cli.OK;
    }
  }
}
