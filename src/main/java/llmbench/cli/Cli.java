package llmbench.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Exit codes and error style shared by every entry point: one line, no stack trace for user errors. */
public final class Cli {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private Cli() {}

  public static int run(Object command, String... args) {
    return runNamed(command, null, args);
  }

  /** @param name the command's name in help and errors (the script's), or null for its annotation's */
  public static int runNamed(Object command, String name, String... args) {
    CommandLine cl = new CommandLine(command);
    if (name != null) {
      cl.setCommandName(name);
    }
    if (command instanceof Examples e) {
      List<String> footer = new ArrayList<>(List.of("", "Examples:"));
      e.examples().forEach(x -> footer.add("  " + x));
      cl.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
    }
    cl.setParameterExceptionHandler((ex, a) -> {
      System.err.println("error: " + ex.getMessage() + " (see --help)");
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      if (ex instanceof IllegalArgumentException || ex instanceof UserError) {
        System.err.println("error: " + ex.getMessage());
        return USAGE;
      }
      System.err.println("error: " + ex);
      return FAILED;
    });
    return cl.execute(args);
  }

  /** A command whose --help ends with example lines that depend on how it was started. */
  public interface Examples {
    List<String> examples();
  }

  /** A mistake the user can fix; its message says how. */
  public static final class UserError extends RuntimeException {
    public UserError(String message) {
      super(message);
    }
  }
}
