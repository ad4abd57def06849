package llmbench.report;

/** Names the simulations give requests, checks and groups, which the post-processor reads back. */
public final class GatlingNames {
  /**
   * The LLM action's one request per call ends with this: {@code NAME: TTFT}, start to first token,
   * inside the group {@code NAME} timed start to end (E2EL).
   */
  public static final String TTFT_SUFFIX = ": TTFT";
  /** Run folders from before the LLM protocol: a request, start to the end of its answer. */
  public static final String E2EL = "E2EL";
  /** Gatling's SSE connect (POST until response headers), in run folders from before the LLM action. */
  public static final String CONNECT = "connect";
  /** The check that completes at the first chunk with choices. */
  public static final String FIRST_TOKEN = "first token";
  /** The check that completes at [DONE]. */
  public static final String FULL_RESPONSE = "full response";

  private GatlingNames() {}

  /** Group name of a level: the label first (the post-processor keys on it), then words for the report. */
  public static String group(String label, int concurrency, int in, int out) {
    return label + " (concurrency " + concurrency + ", " + in + " in, " + out + " out)";
  }

  /** Group name of a request-rate level, e.g. {@code r4 (4 req/s, 100 in, 150 out)}. */
  public static String openGroup(String label, llmbench.workload.Schedule a, int in, int out) {
    return label + " (" + a.describe() + ", " + in + " in, " + out + " out)";
  }
}
