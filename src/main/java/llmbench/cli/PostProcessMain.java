package llmbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import llmbench.prompt.TextTokenizer;
import llmbench.report.PostProcessor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./postprocess.sh RUN_FOLDER}: rebuilds the vLLM results of an existing Gatling run folder. */
@Command(name = "postprocess.sh", mixinStandardHelpOptions = true,
    description = "Rebuilds the vLLM-format results and console blocks of a Gatling run folder "
        + "(target/gatling/<run>) from its simulation.log and token timings.",
    footer = {"%nExamples:", "  ./postprocess.sh target/gatling/lowload-20261201101500123",
        "  ./postprocess.sh target/gatling/highload-20261201101500123 --out output",
        "  ./postprocess.sh output/gatling/lowload-20261201101500123 --tokenizer DIR"})
public final class PostProcessMain implements Callable<Integer> {
  @Parameters(index = "0", description = "The Gatling run folder.")
  Path runDir;
  @Option(names = "--out", description = "Also copy the results here (earlier files move to archive/).")
  Path out;
  @Option(names = "--tokenizer", description = "tokenizer.json folder, to count output tokens when the server sent no usage (default: ${DEFAULT-VALUE}).")
  Path tokenizer = Path.of("fake_model");

  public static void main(String[] args) {
    System.exit(Cli.run(new PostProcessMain(), args));
  }

  @Override
  public Integer call() throws Exception {
    try (TextTokenizer tok = TextTokenizer.loadOrBuiltin(tokenizer)) {
      PostProcessor.process(runDir, out, System.out, tok::countText);
    }
    return Cli.OK;
  }
}
