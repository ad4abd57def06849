package llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import llmbench.prompt.BuiltinTokenizer;
import llmbench.results.LevelResult;
import llmbench.results.ResultFiles;
import llmbench.testutil.Jvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/: the Kubernetes Job's pod command run as the Indexed Job runs it, four times with
 * JOB_COMPLETION_INDEX 0..3, merged by shard 0 and by the merge Job (the manifests' schema:
 * KubernetesManifestsTest); and the Slurm batch script run by a real Slurm (slurmctld
 * and slurmd on this host: .ci/run starts them) as 4 srun tasks, merged by the job itself.
 */
class DeployIT {
  static MockServer mock;
  static Path work;
  static Path bench;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "deploy").toAbsolutePath();
    Path tok = Files.createDirectories(work.resolve("tok"));
    BuiltinTokenizer.writeTo(tok);
    mock = MockServer.start(MockConfig.builder().port(0).stepModel(StepModel.fixed(5)).tokenizerDir(tok).build());
    // the project's scripts as the bundle has them, on this JVM's classpath (no build inside the test)
    bench = Files.createDirectories(work.resolve("bench"));
    Files.createDirectories(bench.resolve("fake_model"));
    BuiltinTokenizer.writeTo(bench.resolve("fake_model"));
    script("run_test.sh", llmbench.cli.RunTestMain.class.getName());
    script("merge.sh", llmbench.cli.MergeMain.class.getName());
  }

  private static void script(String name, String main) throws Exception {
    Path f = bench.resolve(name);
    Files.writeString(f, "#!/bin/sh\ncd \"$(dirname \"$0\")\"\nexec '" + Jvm.java() + "' -Xmx512m "
        + "--add-opens=java.base/java.lang=ALL-UNNAMED -Dai.djl.offline=true -cp '" + Jvm.classpath() + "' " + main
        + " \"$@\"\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterAll
  static void stop() {
    if (mock != null) {
      mock.close();
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The Job of a manifest file (its schema is KubernetesManifestsTest's). */
  private static JsonNode job(Path file) throws Exception {
    for (JsonNode doc : YAML.readValues(YAML.getFactory().createParser(file.toFile()), JsonNode.class).readAll()) {
      if (doc.path("kind").asText().equals("Job")) {
        return doc;
      }
    }
    throw new AssertionError(file + " has no Job");
  }

  private static JsonNode container(JsonNode job) {
    return job.path("spec").path("template").path("spec").path("containers").get(0);
  }

  private static List<String> commandLine(JsonNode container) {
    List<String> cmd = new ArrayList<>();
    container.path("command").forEach(x -> cmd.add(x.asText()));
    container.path("args").forEach(x -> cmd.add(x.asText()));
    return cmd;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void theKubernetesJobsPodsRunAsTheIndexedJobRunsThemAndMerge() throws Exception {
    JsonNode job = job(Path.of("deploy", "kubernetes", "job.yaml"));
    int n = job.path("spec").path("completions").asInt();
    JsonNode c = container(job);
    Map<String, String> env = new LinkedHashMap<>();
    c.path("env").forEach(e -> {
      if (e.has("value")) {
        env.put(e.path("name").asText(), e.path("value").asText());
      }
    });
    // what differs on this machine: the server, shard 0's address, the volume; the rest as the manifest says
    Path results = Files.createDirectories(work.resolve("k8s-results"));
    env.put("LLM_URL", mock.baseUrl());
    env.put("COORDINATOR", "127.0.0.1:" + freePort());
    env.put("RESULTS", results.toString());
    List<String> cmd = commandLine(c);
    cmd.set(cmd.size() - 1, cmd.get(cmd.size() - 1) + " --levels 1,8 --rounds 2 --input-len 32 --output-len 20"
        + " --no-client-warmup"); // a short sweep: the manifest's profile, fewer requests
    List<Process> pods = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(bench.toFile()).redirectErrorStream(true)
          .redirectOutput(work.resolve("pod-" + i + ".log").toFile());
      pb.environment().putAll(env);
      pb.environment().put("JOB_COMPLETION_INDEX", Integer.toString(i));
      pods.add(pb.start());
    }
    for (int i = 0; i < n; i++) {
      assertTrue(pods.get(i).waitFor(300, TimeUnit.SECONDS), "pod " + i + " did not end");
      int index = i;
      assertEquals(0, pods.get(i).exitValue(), () -> "pod " + index + ":\n" + read(work.resolve("pod-" + index + ".log")));
    }
    checkMerged(results.resolve("merged"), n); // shard 0's own merge (--merge-into)
    assertTrue(read(work.resolve("pod-0.log")).contains("=== merging 4 of 4 shards into"), read(work.resolve("pod-0.log")));
    ProcessBuilder pb = new ProcessBuilder(commandLine(container(job(Path.of("deploy", "kubernetes", "merge-job.yaml")))))
        .directory(bench.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("merge.log").toFile());
    pb.environment().put("RESULTS", results.toString());
    assertEquals(0, pb.start().waitFor(), () -> read(work.resolve("merge.log")));
    checkMerged(results.resolve("merged"), n);
  }

  @Test
  void theSlurmBatchScriptRunsFourTasksAndMerges() throws Exception {
    assumeTrue(ok("sinfo", "-h"), "no Slurm cluster here (.ci/run starts one: deploy/slurm/localhost-cluster.sh)");
    Path results = work.resolve("slurm-results");
    Path log = work.resolve("slurm.log");
    ProcessBuilder pb = new ProcessBuilder("sbatch", "--wait", "--overcommit", "--ntasks", "4", "--cpus-per-task", "1",
        "--output", log.toString(), Path.of("deploy", "slurm", "llm-bench.sbatch").toAbsolutePath().toString(),
        "--profiles", "low", "--levels", "1,8", "--rounds", "2", "--input-len", "32", "--output-len", "20",
        "--no-client-warmup", "--barrier-timeout", "120", "--tokenizer", "fake_model")
        .redirectErrorStream(true).redirectOutput(work.resolve("sbatch.log").toFile());
    pb.environment().put("LLM_URL", mock.baseUrl());
    pb.environment().put("BENCH", bench.toString());
    pb.environment().put("RESULTS", results.toString());
    pb.environment().put("BARRIER_PORT", Integer.toString(freePort()));
    Process p = pb.start();
    assertTrue(p.waitFor(400, TimeUnit.SECONDS), "sbatch --wait did not end");
    assertEquals(0, p.exitValue(), () -> read(work.resolve("sbatch.log")) + read(log));
    checkMerged(results.resolve("merged"), 4);
  }

  private static void checkMerged(Path merged, int shards) throws Exception {
    List<LevelResult> levels = ResultFiles.full(merged);
    assertEquals(List.of("c001", "c008"), levels.stream().map(LevelResult::level).sorted().toList());
    for (LevelResult r : levels) {
      int c = Integer.parseInt(r.level().substring(1));
      assertEquals(c, r.maxConcurrency(), r.level());
      assertEquals(2 * c, r.completed(), r.level() + ": every shard's requests");
      assertEquals(List.of(), r.other().get("shards_missing"), r.level());
      assertEquals(shards, r.other().get("shards"));
    }
    assertTrue(Files.isRegularFile(merged.resolve("summary.md")));
    assertTrue(Files.isRegularFile(merged.resolve("report.html")));
  }

  private static boolean ok(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (Exception e) {
      return "(no " + f + ")";
    }
  }
}
