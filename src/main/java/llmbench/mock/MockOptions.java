package llmbench.mock;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The mock's engine as options (picocli mixin of {@code ./mock_server.sh}), their defaults the
 * mock's own ({@link MockConfig.Builder}): one place for both. A {@code --mock} run changes three of
 * them through its {@code --mock-*} options.
 */
public final class MockOptions {
  private static final MockConfig.Builder D = MockConfig.builder();

  @Option(names = "--model", description = "Served model id (default: ${DEFAULT-VALUE}).")
  String model = D.modelId;
  @Option(names = "--max-model-len", description = "Context length (default: ${DEFAULT-VALUE}).")
  int maxModelLen = D.maxModelLen;
  @Option(names = "--tokenizer", description = "Directory with tokenizer.json (default: built-in tokenizer).")
  Path tokenizer;
  @Option(names = "--max-num-seqs", description = "Most requests running at once (default: ${DEFAULT-VALUE}).")
  int maxNumSeqs = D.maxNumSeqs;
  @Option(names = "--max-num-batched-tokens", description = "Token budget per step (default: ${DEFAULT-VALUE}).")
  int maxNumBatchedTokens = D.maxNumBatchedTokens;
  @Option(names = "--num-gpu-blocks", description = "KV cache size in blocks (default: ${DEFAULT-VALUE}).")
  int numGpuBlocks = D.numGpuBlocks;
  @Option(names = "--block-size", description = "Tokens per KV block (default: ${DEFAULT-VALUE}).")
  int blockSize = D.blockSize;
  @Option(names = "--decode-step-ms", description = "A fixed decode step in ms instead of the H100 model.")
  Double fixedStepMs;
  @Option(names = "--time-scale", description = "Simulated time per real time: 1 = real time, 0.1 = 10x faster (default: ${DEFAULT-VALUE}).")
  double timeScale = D.timeScale;
  @Option(names = "--jitter", description = "Relative step-time noise, e.g. 0.05 (default: ${DEFAULT-VALUE}).")
  double jitter = D.jitter;
  @Option(names = "--run-drift", description = "Run-to-run drift: the steps of each run (each start of this mock) "
      + "a factor within 1 ± this, e.g. 5%% or 0.05, drawn from --seed (default: none).")
  String runDrift;
  @Option(names = "--eos-probability", description = "Chance per token of an early EOS when ignore_eos is off (default: ${DEFAULT-VALUE}).")
  double eos = D.eosProbability;
  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = D.seed;
  @Option(names = "--fault-rate", split = ",", description = "Random faults, e.g. 500=0.01,error=0.02,drop=0.01,stall=0.01,slow-first=0.05,429=0.01,503=0.01,"
      + "invalid=0.1 (a shaped answer that parses but breaks its schema)")
  Map<String, Double> faultRates = new HashMap<>();
  @Option(names = "--stall-seconds", description = "Length of an injected stall (default: ${DEFAULT-VALUE}).")
  double stallSeconds = 5;
  @Option(names = "--slow-first-ms", description = "Delay of an injected slow first byte (default: ${DEFAULT-VALUE}).")
  long slowFirstMs = 2000;
  @Option(names = "--busy-threads", description = "Threads that spin on the CPU while the engine has work, "
      + "as GPU engines' busy loops and CPU-bound servers do (default: ${DEFAULT-VALUE}).")
  int busyThreads = D.busyThreads;
  @Option(names = "--close-connections", description = "Close each streamed connection after [DONE] while "
      + "answering keep-alive, as llama.cpp's server does.")
  boolean closeConnections = D.closeConnections;
  @Option(names = "--no-enable-prefix-caching", description = "No prefix cache (vLLM's flag; on by default, as in vLLM V1).")
  boolean noPrefixCaching = !D.prefixCaching;
  @Option(names = "--chunk-shape", description = "Streamed chunks shaped like vllm (default), llamacpp, sglang or tgi.")
  String chunkShape = D.chunkShape;
  @Option(names = "--reasoning-tokens", description = "A reasoning model: N tokens of thinking before each chat "
      + "answer, or a fraction of max_tokens (e.g. 0.3), in each server family's delta field (default: none).")
  String reasoning;
  @Option(names = "--spec-decode", description = "Speculative decoding: up to K tokens per step and chunk, "
      + "drafts accepted at --spec-accept-rate, vLLM's spec_decode counters on /metrics (default: off).")
  int specDecode = D.specDecode;
  @Option(names = "--spec-accept-rate", description = "With --spec-decode: the chance each draft token is accepted "
      + "(default: ${DEFAULT-VALUE}).")
  double specAcceptRate = D.specAcceptRate;
  @Option(names = "--stop-token-rate", description = "The chance per token of a stop id that ends a request even "
      + "with ignore_eos, unless min_tokens holds it (gpt-oss's <|return|>; default: ${DEFAULT-VALUE}).")
  double stopTokenRate = D.stopTokenRate;

  @Option(names = "--tls-keystore", paramLabel = "FILE", description = "Serve https with the key and certificate of "
      + "this PKCS#12 key store (e.g. keytool -genkeypair -storetype PKCS12 ...; default: plain http).")
  java.nio.file.Path tlsKeyStore;
  @Option(names = "--tls-password", description = "The key store's password (default: none).")
  String tlsPassword;

  @Option(names = "--lora-modules", split = ",", paramLabel = "NAME", description = "LoRA adapters served beside the "
      + "model, as vLLM's --lora-modules: listed in /v1/models, asked for by name as a request's model (default: none).")
  java.util.List<String> loraModules = new java.util.ArrayList<>();
  @Option(names = "--lora-load-ms", description = "What loading an adapter that is not resident costs a request "
      + "before its prefill (default: ${DEFAULT-VALUE}).")
  double loraLoadMs = D.loraLoadMs;
  @Option(names = "--max-loras", description = "Adapters resident at once; asking for another evicts the least "
      + "recently used (vLLM's --max-loras; default: ${DEFAULT-VALUE}).")
  int maxLoras = D.maxLoras;

  @Option(names = "--no-tokenize", description = "No tokenize endpoints: a server that counts no prompt for its clients.")
  boolean noTokenize = !D.tokenize;

  public String model() {
    return model;
  }

  public int maxModelLen() {
    return maxModelLen;
  }

  /** The engine these options describe; an unknown fault is a one-line error. */
  public MockConfig.Builder builder() {
    Faults faults = Faults.of("--fault-rate", faultRates, stallSeconds, slowFirstMs);
    return MockConfig.builder().modelId(model).maxModelLen(maxModelLen).tokenizerDir(tokenizer).maxNumSeqs(maxNumSeqs)
        .maxNumBatchedTokens(maxNumBatchedTokens).numGpuBlocks(numGpuBlocks).blockSize(blockSize)
        .stepModel(fixedStepMs == null ? StepModel.H100_8B : StepModel.fixed(fixedStepMs))
        .timeScale(timeScale).jitter(jitter).eosProbability(eos).seed(seed).faults(faults).busyThreads(busyThreads)
        .closeConnections(closeConnections).prefixCaching(!noPrefixCaching).chunkShape(chunkShape)
        .reasoningTokens(reasoning == null || reasoning.contains(".") ? 0 : count(reasoning))
        .reasoningFraction(reasoning != null && reasoning.contains(".") ? fraction(reasoning) : 0)
        .specDecode(specDecode).specAcceptRate(specAcceptRate).stopTokenRate(stopTokenRate).tokenize(!noTokenize)
        .runDrift(runDrift == null ? 0 : fractionOrPercent("--run-drift", runDrift)).tls(tlsKeyStore, tlsPassword)
        .loraModules(loraModules).loraLoadMs(loraLoadMs).maxLoras(maxLoras);
  }

  /** {@code 5%} or {@code 0.05}, within 0..1 (1 excluded); else one line naming the option. */
  public static double fractionOrPercent(String option, String v) {
    double d = share(v);
    if (!(d >= 0 && d < 1)) {
      throw new IllegalArgumentException(option + ": '" + v + "' is not a share within 0..1 (e.g. 5% or 0.05)");
    }
    return d;
  }

  /** {@code 5%} or {@code 0.05} as 0.05; NaN when it is neither (the caller names the option and its range). */
  public static double share(String v) {
    try {
      String t = v.strip();
      return t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static int count(String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--reasoning-tokens: '" + v + "' is not a count or a fraction");
    }
  }

  private static double fraction(String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--reasoning-tokens: '" + v + "' is not a count or a fraction");
    }
  }
}
