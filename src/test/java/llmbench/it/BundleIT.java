package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The offline bundle as a user gets it: {@code ./bundle.sh} builds it from a copy of this checkout;
 * unpacked in another folder, with no {@code java} on PATH, no JAVA_HOME, HOME an empty folder and no
 * network (a network namespace of its own with only loopback up), the seed's three uses each write
 * their results: {@code ./run_test.sh}, {@code ./run_vision_test.sh} and {@code ./mvnw -o gatling:test}.
 * Needs {@code unshare -n} (root, as in CI) and Maven Central while the bundle is built.
 */
class BundleIT {
  /** Folders whose contents a clean clone does not have, but their README. */
  private static final Set<String> RESULTS = Set.of("output", "fake_model");

  @Test
  void theBundleRunsOfflineWithoutAJdk() throws Exception {
    Assumptions.assumeTrue(run(List.of("unshare", "-n", "true"), null, null, 30).exit() == 0,
        "unshare -n is not allowed here (it needs root)");
    Assumptions.assumeTrue(run(List.of("sh", "-c", "command -v ip"), null, null, 30).exit() == 0,
        "no ip command (iproute2) to bring up loopback in the test's network namespace");
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it").toAbsolutePath()), "bundle");
    Path source = copyOfTheCheckout(work.resolve("source"));
    Result built = run(List.of("./bundle.sh", "--out", work.resolve("out").toString()), source, null, 1500);
    assertEquals(0, built.exit(), built.output());
    Path tarGz = Path.of(built.output().strip().lines().reduce((a, b) -> b).orElseThrow());
    assertTrue(tarGz.getFileName().toString().matches("gatling-llm-bench-.+-linux-(x86_64|aarch64)\\.tar\\.gz"), tarGz.toString());

    Path unpacked = Files.createDirectories(work.resolve("server"));
    assertEquals(0, run(List.of("tar", "-xzf", tarGz.toString(), "-C", unpacked.toString()), null, null, 300).exit());
    Path bundle;
    try (Stream<Path> s = Files.list(unpacked)) {
      bundle = s.findFirst().orElseThrow();
    }
    try (Stream<Path> libs = Files.list(bundle.resolve("lib"))) {
      List<String> names = libs.map(p -> p.getFileName().toString()).toList();
      assertTrue(names.stream().noneMatch(n -> n.endsWith("-tests.jar") || n.startsWith("junit")),
          "the bundle carries test classes: " + names);
    }
    Map<String, String> env = Map.of("PATH", pathWithoutJava(work.resolve("path")).toString(),
        "HOME", Files.createDirectories(work.resolve("empty-home")).toString(), "LANG", "C.UTF-8");
    assertNotEquals(0, offline("command -v java", bundle, env, 30).exit(), "java must not be on PATH");
    assertNotEquals(0, offline("exec 3<>/dev/tcp/repo.maven.apache.org/443", bundle, env, 30).exit(), "no network");

    Result text = offline("./run_test.sh --mock --profiles low", bundle, env, 900);
    assertEquals(0, text.exit(), text.output());
    assertTrue(Files.isRegularFile(bundle.resolve("output/llmbench-8b_100-150_32.json")), text.output());
    // the report's Chart.js and JFreeChart come with the bundle: the page and its PNGs are written offline
    String page = Files.readString(bundle.resolve("output/report.html"));
    assertTrue(page.contains("Chart.js v"), "report.html lacks the inlined Chart.js");
    assertTrue(Files.size(bundle.resolve("output/report_ttft.png")) > 10_000, text.output());
    Result compare = offline("./compare.sh output output --out output/compare-bundle", bundle, env, 120);
    assertEquals(0, compare.exit(), compare.output());
    assertTrue(Files.isRegularFile(bundle.resolve("output/compare-bundle/compare.html")), compare.output());

    Result vision = offline("./run_vision_test.sh 64 64 --mock --profiles vision2", bundle, env, 900);
    assertEquals(0, vision.exit(), vision.output());
    assertTrue(Files.isRegularFile(bundle.resolve("output/vision_64x64/llmbench-8b_100-100_32.json")), vision.output());

    Path gatlingOut = bundle.resolve("maven-output");
    Result maven = offline("./mvnw -o -B gatling:test -Dgatling.simulationClass=LowLoad -Dllm.mock=true -Dllm.out="
        + gatlingOut, bundle, env, 900);
    assertEquals(0, maven.exit(), maven.output());
    assertTrue(Files.isRegularFile(gatlingOut.resolve("llmbench-8b_100-150_32.json")), maven.output());
  }

  private record Result(int exit, String output) {}

  /** {@code command} in the bundle, in a network namespace of its own with loopback up, with only {@code env}. */
  private static Result offline(String command, Path dir, Map<String, String> env, int timeoutS) throws Exception {
    return run(List.of("unshare", "-n", "/bin/bash", "-c", "ip link set lo up && " + command), dir, env, timeoutS);
  }

  private static Result run(List<String> cmd, Path dir, Map<String, String> env, int timeoutS) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    if (env != null) {
      pb.environment().clear();
      pb.environment().putAll(env);
    }
    Path log = Files.createTempFile("bundle-it", ".log");
    Process p = pb.redirectOutput(log.toFile()).start();
    if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, "timed out after " + timeoutS + " s: " + String.join(" ", cmd) + "\n" + tail(log));
    }
    return new Result(p.exitValue(), tail(log));
  }

  private static String tail(Path log) throws IOException {
    String s = Files.readString(log);
    return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
  }

  /** The checkout's files, without build output and results (as a clean clone has them). */
  private static Path copyOfTheCheckout(Path to) throws IOException {
    Path from = Path.of("").toAbsolutePath();
    Files.walkFileTree(from, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult preVisitDirectory(Path d, java.nio.file.attribute.BasicFileAttributes a)
          throws IOException {
        Path rel = from.relativize(d);
        if (rel.getNameCount() == 1 && Set.of("target", ".git").contains(rel.toString())) {
          return java.nio.file.FileVisitResult.SKIP_SUBTREE;
        }
        Files.createDirectories(to.resolve(rel.toString()));
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a)
          throws IOException {
        Path rel = from.relativize(f);
        boolean results = RESULTS.contains(rel.getName(0).toString()) && !rel.getFileName().toString().equals("README.md");
        if (!results) {
          Files.copy(f, to.resolve(rel.toString()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        return java.nio.file.FileVisitResult.CONTINUE;
      }
    });
    return to;
  }

  /** A PATH folder holding every command of the usual ones except Java's. */
  private static Path pathWithoutJava(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String d : List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      Path bin = Path.of(d);
      if (!Files.isDirectory(bin)) {
        continue;
      }
      try (Stream<Path> s = Files.list(bin)) {
        for (Path cmd : s.toList()) {
          Path link = dir.resolve(cmd.getFileName().toString());
          Path real;
          try {
            real = cmd.toRealPath();
          } catch (IOException broken) {
            continue;
          }
          if (!Files.exists(link) && !real.startsWith("/usr/lib/jvm") && !real.startsWith("/etc/alternatives")) {
            Files.createSymbolicLink(link, real);
          }
        }
      }
    }
    return dir;
  }
}
