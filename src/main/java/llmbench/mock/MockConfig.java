package llmbench.mock;

import java.nio.file.Path;

/**
 * Everything the mock can be told. Defaults resemble a Llama-3-8B-class model served by vLLM on one
 * H100 (FIELD_NOTES §9): about 6 ms per decode step at batch 1, 7.6 ms at 64, 13 ms at 256, prefill
 * about 29 ms per 1,024 tokens.
 */
public record MockConfig(
    String host,
    int port,
    String modelId,
    int maxModelLen,
    Path tokenizerDir,
    int maxNumSeqs,
    int maxNumBatchedTokens,
    int numGpuBlocks,
    int blockSize,
    StepModel stepModel,
    double timeScale,
    double jitter,
    double eosProbability,
    long seed,
    String apiKey,
    Path traceFile,
    boolean keepTraces,
    int imageMinPixels,
    int imageMaxPixels,
    Faults faults,
    int busyThreads,
    boolean closeConnections,
    String chunkShape,
    boolean prefixCaching,
    int reasoningTokens,
    double reasoningFraction,
    int specDecode,
    double specAcceptRate,
    double stopTokenRate,
    boolean tokenize,
    boolean spinWait,
    boolean variedText,
    double runDrift,
    Path tlsKeyStore,
    String tlsPassword,
    java.util.List<String> loraModules,
    double loraLoadMs,
    int maxLoras) {

  /** The reasoning tokens of a chat request that may generate {@code maxTokens} (before its answer). */
  public int reasoningFor(int maxTokens) {
    int r = reasoningTokens > 0 ? reasoningTokens : (int) Math.floor(reasoningFraction * maxTokens);
    return Math.max(0, Math.min(r, maxTokens - 1)); // at least one answer token
  }

  /**
   * Run {@code run}'s step-time factor under {@link #runDrift}: uniform within 1 ± drift, the same for
   * the same seed and run (1 without drift).
   */
  public double runFactor(int run) {
    if (runDrift == 0) {
      return 1;
    }
    double u = new java.util.SplittableRandom(seed * 1_000_003L + run).nextDouble();
    return 1 + runDrift * (2 * u - 1);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder, because tests and the command line each override a few of many settings. */
  public static final class Builder {
    public String host = "127.0.0.1";
    public int port = 8000;
    public String modelId = "mock/llmbench-8b";
    public int maxModelLen = 16384;
    public Path tokenizerDir;
    public int maxNumSeqs = 256;
    public int maxNumBatchedTokens = 8192;
    /** 80 GB × 0.9 minus 16 GB of weights at 128 KiB of KV per token (Llama-3-8B), in 16-token blocks. */
    public int numGpuBlocks = 27_000;
    public int blockSize = 16;
    public StepModel stepModel = StepModel.H100_8B;
    public double timeScale = 1.0;
    public double jitter = 0.0;
    public double eosProbability = 0.002;
    public long seed = 42;
    public String apiKey;
    public Path traceFile;
    public boolean keepTraces = false;
    public int imageMinPixels = 56 * 56;
    public int imageMaxPixels = 28 * 28 * 1280;
    public Faults faults = Faults.NONE;
    public int busyThreads = 0;
    public boolean closeConnections = false;
    public String chunkShape = "vllm";
    /** On by default, as in vLLM V1. */
    public boolean prefixCaching = true;
    /** A reasoning model: this many tokens of thinking before each chat answer (or a fraction of max_tokens). */
    public int reasoningTokens = 0;
    public double reasoningFraction = 0;
    /** Speculative decoding: up to this many tokens per step (0 or 1: off), each draft accepted at the rate. */
    public int specDecode = 0;
    public double specAcceptRate = 0.7;
    /** The chance per token of a stop id (gpt-oss's {@code <|return|>}) that ends a request, unless min_tokens. */
    public double stopTokenRate = 0;
    /** Its family's tokenize endpoints (off: a server that counts no prompt for clients). */
    public boolean tokenize = true;
    /**
     * Spin the last 80 us of each step for a step end to the microsecond; off, a step may end some
     * 50-100 us late (timer slack) and the engine thread costs next to nothing between steps (the
     * client warm-up's servers, whose timing nobody measures).
     */
    public boolean spinWait = true;
    /**
     * Answers mix text beyond ASCII into the words (accents, CJK, emoji, JSON escapes), as a real
     * model's tokens do: the client warm-up's servers, so that the client's decoding and record
     * writing are compiled for the strings real servers send (Latin-1-only code is deoptimized when
     * the first other character comes).
     */
    public boolean variedText = false;
    /**
     * Run-to-run drift: each run's steps take a factor drawn uniformly within 1 ± this (0.05: ±5 %),
     * from the seed and the run's number, as a server's speed differs from one run to the next (warm
     * caches, clocks, a neighbour) while it holds within a run. 0: none.
     */
    public double runDrift = 0;
    public Path tlsKeyStore;
    public String tlsPassword;
    /** LoRA adapters served beside the model (vLLM's --lora-modules): listed in /v1/models, asked for as the model. */
    public java.util.List<String> loraModules = java.util.List.of();
    /** What loading an adapter that is not resident costs a request, in ms before its prefill (scaled as every step). */
    public double loraLoadMs = 25;
    /** Adapters resident at once (vLLM's --max-loras, default 1): asking for another evicts the least recent. */
    public int maxLoras = 1;

    public Builder port(int v) { port = v; return this; }
    public Builder host(String v) { host = v; return this; }
    public Builder modelId(String v) { modelId = v; return this; }
    public Builder maxModelLen(int v) { maxModelLen = v; return this; }
    public Builder tokenizerDir(Path v) { tokenizerDir = v; return this; }
    public Builder maxNumSeqs(int v) { maxNumSeqs = v; return this; }
    public Builder maxNumBatchedTokens(int v) { maxNumBatchedTokens = v; return this; }
    public Builder numGpuBlocks(int v) { numGpuBlocks = v; return this; }
    public Builder blockSize(int v) { blockSize = v; return this; }
    public Builder stepModel(StepModel v) { stepModel = v; return this; }
    public Builder timeScale(double v) { timeScale = v; return this; }
    public Builder jitter(double v) { jitter = v; return this; }
    public Builder eosProbability(double v) { eosProbability = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder apiKey(String v) { apiKey = v; return this; }
    public Builder traceFile(Path v) { traceFile = v; return this; }
    public Builder keepTraces(boolean v) { keepTraces = v; return this; }
    public Builder imagePixels(int min, int max) { imageMinPixels = min; imageMaxPixels = max; return this; }
    public Builder faults(Faults v) { faults = v; return this; }
    public Builder busyThreads(int v) { busyThreads = v; return this; }
    public Builder closeConnections(boolean v) { closeConnections = v; return this; }
    public Builder chunkShape(String v) { chunkShape = v; return this; }
    public Builder prefixCaching(boolean v) { prefixCaching = v; return this; }
    public Builder reasoningTokens(int v) { reasoningTokens = v; return this; }
    public Builder reasoningFraction(double v) { reasoningFraction = v; return this; }
    public Builder specDecode(int v) { specDecode = v; return this; }
    public Builder specAcceptRate(double v) { specAcceptRate = v; return this; }
    public Builder stopTokenRate(double v) { stopTokenRate = v; return this; }
    public Builder tokenize(boolean v) { tokenize = v; return this; }
    public Builder spinWait(boolean v) { spinWait = v; return this; }
    public Builder variedText(boolean v) { variedText = v; return this; }
    public Builder runDrift(double v) { runDrift = v; return this; }
    /** Serves https with the key and certificate of this PKCS#12 key store (null: plain http). */
    public Builder tls(Path keyStore, String password) { tlsKeyStore = keyStore; tlsPassword = password; return this; }
    public Builder loraModules(java.util.List<String> v) { loraModules = java.util.List.copyOf(v); return this; }
    public Builder loraLoadMs(double v) { loraLoadMs = v; return this; }
    public Builder maxLoras(int v) { maxLoras = v; return this; }

    public MockConfig build() {
      if (maxModelLen < 1 || maxNumSeqs < 1 || maxNumBatchedTokens < 1 || numGpuBlocks < 1 || blockSize < 1) {
        throw new IllegalArgumentException("max-model-len, max-num-seqs, max-num-batched-tokens, "
            + "num-gpu-blocks and block-size must be positive");
      }
      if (!(timeScale > 0)) {
        throw new IllegalArgumentException("time-scale must be > 0 (1 = real time, 0.1 = 10x faster)");
      }
      if (busyThreads < 0) {
        throw new IllegalArgumentException("busy-threads must be 0 or more");
      }
      ChunkShape.parse(chunkShape);
      if (reasoningTokens < 0 || !(reasoningFraction >= 0 && reasoningFraction < 1)) {
        throw new IllegalArgumentException("reasoning-tokens must be a count >= 0 or a fraction of max_tokens below 1");
      }
      if (specDecode < 0 || !(specAcceptRate >= 0 && specAcceptRate <= 1) || !(stopTokenRate >= 0 && stopTokenRate < 1)) {
        throw new IllegalArgumentException("spec-decode must be >= 0, spec-accept-rate within 0..1, stop-token-rate below 1");
      }
      if (tlsKeyStore != null && !java.nio.file.Files.isRegularFile(tlsKeyStore)) {
        throw new IllegalArgumentException("tls-keystore " + tlsKeyStore + ": no such file");
      }
      if (!(runDrift >= 0 && runDrift < 1)) {
        throw new IllegalArgumentException("run-drift must be within 0..1 (0.05: each run's steps within ±5 %), not " + runDrift);
      }
      if (!(loraLoadMs >= 0) || maxLoras < 1) {
        throw new IllegalArgumentException("lora-load-ms must be 0 or more and max-loras 1 or more");
      }
      return new MockConfig(host, port, modelId, maxModelLen, tokenizerDir, maxNumSeqs,
          maxNumBatchedTokens, numGpuBlocks, blockSize, stepModel, timeScale, jitter, eosProbability,
          seed, apiKey, traceFile, keepTraces, imageMinPixels, imageMaxPixels, faults, busyThreads,
          closeConnections, chunkShape, prefixCaching, reasoningTokens, reasoningFraction, specDecode,
          specAcceptRate, stopTokenRate, tokenize, spinWait, variedText, runDrift, tlsKeyStore, tlsPassword,
          loraModules, loraLoadMs, maxLoras);
    }
  }
}
