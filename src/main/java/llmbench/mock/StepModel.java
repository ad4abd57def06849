package llmbench.mock;

/**
 * How long one scheduler step takes on the simulated GPU, in milliseconds.
 *
 * <p>Decode is memory-bound: every step reads the weights once ({@code decodeBaseMs}) plus the KV cache
 * of every running sequence ({@code kvMsPerToken} per token of context) and pays a small per-sequence
 * cost (sampling, bookkeeping). Prefill is compute-bound: linear in the prompt tokens of the step plus
 * a quadratic attention term over the chunk's context.
 */
public record StepModel(
    double decodeBaseMs,
    double perSeqMs,
    double kvMsPerToken,
    double prefillMsPerToken,
    double prefillAttnMsPerToken2) {

  /** Llama-3-8B-class on one H100 (FIELD_NOTES §9). */
  public static final StepModel H100_8B = new StepModel(5.9, 0.012, 3.0e-5, 0.0206, 1.88e-6);

  /** A fixed decode step, no batch or context effects: for fidelity tests that need a known clock. */
  public static StepModel fixed(double stepMs) {
    return new StepModel(stepMs, 0, 0, 0, 0);
  }

  /** One step's jitter ({@code --jitter}): normal around 1 with this relative spread, never below a tenth. */
  public static double jitterFactor(double jitter, java.util.SplittableRandom random) {
    return Math.max(0.1, 1 + jitter * random.nextGaussian());
  }

  /**
   * @param decodeSeqs sequences decoding one token in this step
   * @param decodeContext sum of their context lengths (tokens read from the KV cache)
   * @param prefillTokens prompt tokens computed in this step (all chunks)
   * @param prefillAttn sum over prefill chunks of chunk × (context after the chunk)
   */
  public double stepMs(int decodeSeqs, long decodeContext, long prefillTokens, double prefillAttn) {
    if (decodeSeqs == 0 && prefillTokens == 0) {
      return 0;
    }
    return decodeBaseMs + perSeqMs * decodeSeqs + kvMsPerToken * decodeContext
        + prefillMsPerToken * prefillTokens + prefillAttnMsPerToken2 * prefillAttn;
  }
}
