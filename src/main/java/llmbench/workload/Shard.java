package llmbench.workload;

import java.util.Map;

/**
 * Shard {@code index} of {@code count} injectors running one sweep together: which users and which
 * requests of each level are its own. Every shard plans the whole sweep from the same seed and keeps
 * its share, so that the union of the shards' requests is exactly a one-machine run's.
 */
public record Shard(int index, int count) {
  /** One machine: everything is its own. */
  public static final Shard WHOLE = new Shard(0, 1);

  public Shard {
    if (count < 1) {
      throw new IllegalArgumentException("--shard: the number of shards must be >= 1, not " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("--shard: the index must be between 0 and " + (count - 1) + ", not " + index);
    }
  }

  /** {@code I/N}, as {@code --shard} takes it. */
  public static Shard parse(String text) {
    String[] p = text.trim().split("/");
    try {
      if (p.length == 2) {
        return new Shard(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
      }
    } catch (NumberFormatException e) {
      // the message below says what to write
    }
    throw new IllegalArgumentException("--shard must be INDEX/COUNT, e.g. 0/4, not '" + text + "'");
  }

  /**
   * {@code --shards N}: this shard's index from the engine that started it, Kubernetes' Indexed Job
   * ({@code JOB_COMPLETION_INDEX}) or Slurm ({@code SLURM_PROCID}, checked against {@code SLURM_NTASKS}).
   */
  public static Shard fromEngine(int count, Map<String, String> env) {
    String k8s = env.get("JOB_COMPLETION_INDEX");
    String slurm = env.get("SLURM_PROCID");
    String index = k8s != null ? k8s : slurm;
    if (index == null) {
      throw new IllegalArgumentException("--shards " + count + " takes this shard's index from JOB_COMPLETION_INDEX "
          + "(a Kubernetes Indexed Job) or SLURM_PROCID (srun), and neither is set: give --shard INDEX/" + count);
    }
    String tasks = env.get("SLURM_NTASKS");
    if (k8s == null && tasks != null && !tasks.equals(Integer.toString(count))) {
      throw new IllegalArgumentException("--shards " + count + " but srun started " + tasks + " tasks (SLURM_NTASKS)");
    }
    try {
      return new Shard(Integer.parseInt(index.trim()), count);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--shards: this shard's index '" + index + "' is not a number");
    }
  }

  public boolean whole() {
    return count == 1;
  }

  /** Shard 0 alone warms the server up, reads its metrics and GPUs, and holds the barrier. */
  public boolean first() {
    return index == 0;
  }

  /** This shard's part of {@code total} users: the shards' parts sum to {@code total}, the first ones one more. */
  public int share(int total) {
    return total / count + (index < total % count ? 1 : 0);
  }

  /** The first of this shard's users among {@code total}, in the one-machine numbering. */
  public int firstUser(int total) {
    int q = total / count;
    int r = total % count;
    return index * q + Math.min(index, r);
  }

  /**
   * A closed-model level's requests that are this shard's: request {@code k} of {@code n} belongs to
   * user {@code k mod users}, as a one-machine run deals them out.
   */
  public int[] closedRequests(int n, int users) {
    int from = firstUser(users);
    int to = from + share(users);
    return java.util.stream.IntStream.range(0, n).filter(k -> k % users >= from && k % users < to).toArray();
  }

  /** A request-rate level's: request {@code k} of the one global schedule is sent by shard {@code k mod N}. */
  public int[] openRequests(int n) {
    return java.util.stream.IntStream.range(0, n).filter(k -> k % count == index).toArray();
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
