package llmbench.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes/ read strictly into the Kubernetes API's model (fabric8's; a field it does not
 * know fails), and what makes the Indexed Job a sharded sweep. Here, not in the integration tests'
 * JVM: the model's hundreds of classes would be loaded into the JVM that then measures timings.
 */
class KubernetesManifestsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Every fabric8 object reachable from {@code o} with a field the model did not know, by path. */
  private static void unknownFields(Object o, String path, List<String> found, Map<Object, Boolean> seen)
      throws IllegalAccessException {
    if (o == null || seen.put(o, true) != null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        unknownFields(e, path + "[" + i++ + "]", found, seen);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        unknownFields(e.getValue(), path + "." + e.getKey(), found, seen);
      }
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8")) {
      return;
    }
    for (Class<?> k = o.getClass(); k != null && k != Object.class; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        f.setAccessible(true);
        Object v = f.get(o);
        if (f.getName().equals("additionalProperties") && v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          found.add(path + ": " + extra.keySet());
        } else {
          unknownFields(v, path + "." + f.getName(), found, seen);
        }
      }
    }
  }

  private static Job readManifests(Path file, Map<String, Object> byKind) throws Exception {
    Job job = null;
    for (JsonNode doc : YAML.readValues(YAML.getFactory().createParser(file.toFile()), JsonNode.class).readAll()) {
      Class<?> type = switch (doc.path("kind").asText()) {
        case "Job" -> Job.class;
        case "Service" -> Service.class;
        case "PersistentVolumeClaim" -> PersistentVolumeClaim.class;
        default -> throw new AssertionError(file + ": unexpected kind " + doc.path("kind"));
      };
      Object o = YAML.treeToValue(doc, type);
      List<String> unknown = new ArrayList<>();
      unknownFields(o, doc.path("kind").asText(), unknown, new IdentityHashMap<>());
      assertEquals(List.of(), unknown, file + ": fields the Kubernetes API does not have");
      byKind.put(doc.path("kind").asText(), o);
      if (o instanceof Job j) {
        job = j;
      }
    }
    return job;
  }

  @Test
  void theJobIsAnIndexedJobOfShardsThatFindShardZeroByItsStableName() throws Exception {
    Map<String, Object> kinds = new LinkedHashMap<>();
    Job job = readManifests(Path.of("deploy", "kubernetes", "job.yaml"), kinds);
    assertEquals("Indexed", job.getSpec().getCompletionMode());
    int n = job.getSpec().getCompletions();
    assertEquals(n, job.getSpec().getParallelism());
    assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
    Service svc = (Service) kinds.get("Service");
    assertEquals("None", svc.getSpec().getClusterIP(), "a headless Service gives each pod its name");
    assertEquals(svc.getMetadata().getName(), job.getSpec().getTemplate().getSpec().getSubdomain());
    assertEquals(Map.of("job-name", job.getMetadata().getName()), svc.getSpec().getSelector());
    Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    String coordinator = c.getEnv().stream().filter(e -> e.getName().equals("COORDINATOR")).findFirst().orElseThrow()
        .getValue();
    assertEquals(job.getMetadata().getName() + "-0." + svc.getMetadata().getName() + ":"
        + svc.getSpec().getPorts().get(0).getPort(), coordinator, "shard 0's stable name");
    String args = String.join(" ", c.getArgs());
    assertEquals(true, args.contains("--shards " + n), args);
    assertEquals(PersistentVolumeClaim.class, kinds.get("PersistentVolumeClaim").getClass());
    Job merge = readManifests(Path.of("deploy", "kubernetes", "merge-job.yaml"), new LinkedHashMap<>());
    assertEquals(List.of("/bin/sh", "-c"), merge.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand());
  }

  @Test
  void aFieldTheApiDoesNotHaveFails(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path bad = java.nio.file.Files.writeString(dir.resolve("job.yaml"), java.nio.file.Files.readString(
        Path.of("deploy", "kubernetes", "job.yaml")).replace("subdomain: llm-bench", "subdomian: llm-bench"));
    AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> readManifests(bad, new LinkedHashMap<>()));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("subdomian"), e.getMessage());
  }
}
