package llmbench.config;

import java.nio.file.Path;
import java.util.List;
import llmbench.capacity.CapacitySearch;
import llmbench.capacity.SloTargets;
import llmbench.prompt.ImageMix;
import llmbench.workload.Workload;

/**
 * Which profiles run, in order, from which file, and whether the run searches a capacity instead.
 *
 * @param profiles names in {@code workload}
 * @param workload the seed's profiles or the user's file
 * @param workloadFile the user's file; null for the seed's
 * @param capacity null unless {@code --find-capacity}
 */
public record Selection(List<String> profiles, Workload workload, Path workloadFile, boolean vision,
    Capacity capacity) {

  public Selection {
    profiles = List.copyOf(profiles);
  }

  /** A capacity search: its targets, its steps, and requests per probe at least. */
  public record Capacity(SloTargets slo, CapacitySearch.Settings search, int minRequests, boolean resume) {}

  /** The selected profiles with what each sets. */
  public List<Workload.Entry> entries() {
    return profiles.stream().map(workload::named).toList();
  }

  /** The vision profiles' image, for the output folder's name; null for text. */
  public static String imageFolder(ImageMix image) {
    return image == null ? null : "vision_" + image.label();
  }
}
