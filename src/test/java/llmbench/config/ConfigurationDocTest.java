package llmbench.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import llmbench.cli.SweepCommand;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/**
 * docs/CONFIGURATION.md holds run_test.sh's --help as it is and every -Dllm.* property with its
 * option: written from the code, and this test fails when the page and the code part.
 */
class ConfigurationDocTest {
  static final Path DOC = Path.of("docs", "CONFIGURATION.md");

  static String render() {
    SweepCommand command = new SweepCommand(job -> null, false);
    CommandLine cl = new CommandLine(command).setCommandName(command.commandName());
    cl.getCommandSpec().usageMessage().width(100);
    StringBuilder b = new StringBuilder();
    b.append("""
        # Configuration reference

        Every run is one `RunConfig` (`llmbench.config`), built once from the options below and checked as a
        whole before anything is archived, started or written: a mistake is one line that names the option,
        exit status 2. `run_vision_test.sh [IM_WIDTH IM_HEIGHT]` takes the same options (its profiles are
        vision1 and vision2, its results go to `output/vision_WxH/`). Defaults are the options' own, in
        `llmbench.config.RunOptions`; `OPENAI_BASE_URL` and `OPENAI_API_KEY` are read from the environment
        (the key is sent to the server only, never written).

        This page is written from the code (`ConfigurationDocTest` fails when they part; it leaves the page
        it expects in `target/CONFIGURATION.md`).

        ## ./run_test.sh --help

        ```text
        """);
    b.append(cl.getUsageMessage(CommandLine.Help.Ansi.OFF));
    b.append("""
        ```

        ## -Dllm.* properties (mvn gatling:test)

        `./mvnw gatling:test -Dgatling.simulationClass=LowLoad -Dllm.input=200` runs one profile's simulation
        with Gatling's own launcher. Each property is the option of the same meaning, parsed by the same code
        with the same defaults and checks; its errors name the property. A property that is not below is an
        error, not ignored. Flags take `true` or `false`.

        | property | option |
        | --- | --- |
        """);
    for (Map.Entry<String, String> e : LlmProperties.OPTIONS.entrySet()) {
      String option = e.getValue().equals("--no-client-warmup") ? "`--no-client-warmup` (`clientWarmup=false`)"
          : "`" + e.getValue() + "`";
      b.append("| `-D").append(LlmProperties.PREFIX).append(e.getKey()).append("` | ").append(option).append(" |\n");
    }
    b.append("| `-D").append(LlmProperties.PREFIX).append(String.join("`, `-D" + LlmProperties.PREFIX, LlmProperties.IMAGE_SIZE))
        .append("` | run_vision_test.sh's `IM_WIDTH IM_HEIGHT` |\n");
    b.append("""

        ## Workload files (--workload FILE)

        YAML or JSON: `profiles:`, a list of named profiles. Shape: `name`, `input_len` (or `context`:
        max_model_len − output_len), `output_len`, `concurrency` (a number or a list) or `request_rate`
        (likewise; `inf` allowed), `vision`. Settings, each the option of the same name: `rounds`,
        `num_prompts`, `burstiness`, `max_concurrency` (these three with `request_rate` only), `dataset`,
        `prefix_len`, `num_prefixes`, `turns`, `think_time_ms`, `endpoint`. A setting the file gives wins;
        the same option on the command line is an error (never silently dropped). The seed's five profiles
        are such a file: `src/main/resources/llmbench/workload/profiles.yaml`.
        """);
    return b.toString();
  }

  @Test
  void thePageSaysWhatTheCodeDoes() throws IOException {
    String expected = render();
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "CONFIGURATION.md"), expected);
    assertEquals(expected, Files.exists(DOC) ? Files.readString(DOC) : "",
        "docs/CONFIGURATION.md is out of date: copy target/CONFIGURATION.md over it");
  }

  @Test
  void everyPropertyIsAnOptionOfRunTest() {
    CommandLine cl = new CommandLine(new SweepCommand(job -> null, false));
    for (String option : LlmProperties.OPTIONS.values()) {
      assertEquals(true, cl.getCommandSpec().findOption(option) != null, option);
    }
  }
}
