package llmbench.testutil;

import java.nio.file.Path;

/** Child JVMs for tests and benchmarks: the same Java as this one, with this one's classpath. */
public final class Jvm {
  private Jvm() {}

  /** The {@code java} launcher of the running JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public static String classpath() {
    return System.getProperty("java.class.path");
  }
}
