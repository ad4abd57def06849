package llmbench.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The images of a vision request: how many (a fixed K, or from {@code min} to {@code max}, drawn per
 * request) and their sizes, drawn per image from weighted buckets, as vLLM's {@code random-mm} dataset
 * draws them ({@code --random-mm-base-items-per-request}, {@code --random-mm-bucket-config}). Every image
 * is fresh noise, seeded by the request's number and its place in the request. The seed's profiles send
 * one image of one size ({@link #single}).
 */
public record ImageMix(List<Bucket> buckets, int minImages, int maxImages) {
  /** At most this many images in one request (vLLM's default --limit-mm-per-prompt is far lower). */
  public static final int MAX_IMAGES = 64;

  /** One size and its share of the images. */
  public record Bucket(NoiseImages.Spec spec, double weight) {}

  public ImageMix {
    if (buckets.isEmpty() || buckets.stream().anyMatch(b -> !(b.weight() > 0) || Double.isInfinite(b.weight()))) {
      throw new IllegalArgumentException("--image-sizes: every size needs a weight > 0");
    }
    if (minImages < 1 || maxImages < minImages || maxImages > MAX_IMAGES) {
      throw new IllegalArgumentException("--images-per-request must be K or A-B with 1 <= A <= B <= " + MAX_IMAGES
          + ", not " + minImages + (maxImages == minImages ? "" : "-" + maxImages));
    }
    buckets = List.copyOf(buckets);
  }

  public static ImageMix single(NoiseImages.Spec spec) {
    return new ImageMix(List.of(new Bucket(spec, 1)), 1, 1);
  }

  /**
   * {@code "512x512,1024x768"} or weighted {@code "512x512:3,1024x768:1"}, all in {@code format}; the
   * count {@code "3"} or {@code "2-4"}.
   */
  public static ImageMix parse(String sizes, String count, NoiseImages.Format format) {
    List<Bucket> buckets = new ArrayList<>();
    for (String item : sizes.split("\\s*,\\s*")) {
      String[] sizeWeight = item.split(":");
      String[] wh = sizeWeight[0].toLowerCase(Locale.ROOT).split("x");
      try {
        if (sizeWeight.length > 2 || wh.length != 2) {
          throw new NumberFormatException();
        }
        double weight = sizeWeight.length == 2 ? Double.parseDouble(sizeWeight[1]) : 1;
        buckets.add(new Bucket(new NoiseImages.Spec(Integer.parseInt(wh[0].trim()), Integer.parseInt(wh[1].trim()),
            format), weight));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--image-sizes: '" + item + "' is not WIDTHxHEIGHT or WIDTHxHEIGHT:WEIGHT");
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--image-sizes: " + e.getMessage());
      }
    }
    int[] range;
    try {
      String[] ab = count.trim().split("-");
      if (ab.length > 2) {
        throw new NumberFormatException();
      }
      range = new int[] {Integer.parseInt(ab[0].trim()), Integer.parseInt(ab[ab.length - 1].trim())};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--images-per-request must be K or A-B (e.g. 3 or 2-4), not '" + count + "'");
    }
    return new ImageMix(buckets, range[0], range[1]);
  }

  /** The seed's case: one image of one size. */
  public boolean single() {
    return buckets.size() == 1 && maxImages == 1;
  }

  /** The first size (the seed's one image). */
  public NoiseImages.Spec first() {
    return buckets.get(0).spec();
  }

  /** For folder and result names: {@code 512x512}, or {@code 512x512+1024x768_k3}. */
  public String label() {
    StringBuilder b = new StringBuilder();
    for (Bucket k : buckets) {
      b.append(b.length() == 0 ? "" : "+").append(k.spec().label());
    }
    return single() ? b.toString() : b + "_k" + minImages + (maxImages == minImages ? "" : "-" + maxImages);
  }

  /** The sizes as the results name them. */
  public List<String> sizeLabels() {
    return buckets.stream().map(k -> k.spec().label()).toList();
  }

  /** Request {@code seed}'s images as data URLs, in order. */
  public List<String> dataUrls(long seed) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
    int n = minImages + (maxImages == minImages ? 0 : r.nextInt(maxImages - minImages + 1));
    double total = buckets.stream().mapToDouble(Bucket::weight).sum();
    List<String> urls = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      NoiseImages.Spec spec = buckets.get(buckets.size() - 1).spec();
      double u = r.nextDouble() * total;
      for (Bucket k : buckets) {
        if ((u -= k.weight()) < 0) {
          spec = k.spec();
          break;
        }
      }
      // the seed's single image keeps its seed, so its prompts and images repeat as before
      urls.add(NoiseImages.dataUrl(spec, single() ? seed : seed * MAX_IMAGES + j));
    }
    return urls;
  }
}
