package llmbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import llmbench.mock.Faults;
import llmbench.mock.MockConfig;
import llmbench.mock.MockServer;
import llmbench.mock.StepModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./mock_server.sh}: the vLLM-compatible mock server, standalone. */
@Command(name = "mock_server.sh", mixinStandardHelpOptions = true, sortOptions = false,
    description = "A vLLM-compatible OpenAI server with a simulated engine (no GPU). Ctrl-C stops it.",
    footer = {"%nExamples:", "  ./mock_server.sh --port 8000", "  ./mock_server.sh --time-scale 0.1 --max-num-seqs 32",
        "  ./mock_server.sh --busy-threads 2 --chunk-shape llamacpp --fault-rate 429=0.01"})
public final class MockMain implements Callable<Integer> {
  @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";
  @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int port = 8000;
  @Option(names = "--model", description = "Served model id (default: ${DEFAULT-VALUE}).")
  String model = "mock/llmbench-8b";
  @Option(names = "--max-model-len", description = "Context length (default: ${DEFAULT-VALUE}).")
  int maxModelLen = 16384;
  @Option(names = "--tokenizer", description = "Directory with tokenizer.json (default: built-in tokenizer).")
  Path tokenizer;
  @Option(names = "--max-num-seqs", description = "Most requests running at once (default: ${DEFAULT-VALUE}).")
  int maxNumSeqs = 256;
  @Option(names = "--max-num-batched-tokens", description = "Token budget per step (default: ${DEFAULT-VALUE}).")
  int maxNumBatchedTokens = 8192;
  @Option(names = "--num-gpu-blocks", description = "KV cache size in blocks (default: ${DEFAULT-VALUE}).")
  int numGpuBlocks = 27_000;
  @Option(names = "--block-size", description = "Tokens per KV block (default: ${DEFAULT-VALUE}).")
  int blockSize = 16;
  @Option(names = "--decode-step-ms", description = "A fixed decode step in ms instead of the H100 model.")
  Double fixedStepMs;
  @Option(names = "--time-scale", description = "Simulated time per real time: 1 = real time, 0.1 = 10x faster (default: ${DEFAULT-VALUE}).")
  double timeScale = 1.0;
  @Option(names = "--jitter", description = "Relative step-time noise, e.g. 0.05 (default: ${DEFAULT-VALUE}).")
  double jitter = 0;
  @Option(names = "--eos-probability", description = "Chance per token of an early EOS when ignore_eos is off (default: ${DEFAULT-VALUE}).")
  double eos = 0.002;
  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = 42;
  @Option(names = "--api-key", description = "Require this bearer key on /v1/* (also from VLLM_API_KEY).")
  String apiKey = System.getenv("VLLM_API_KEY");
  @Option(names = "--trace", description = "Write per-request ground truth (JSONL) to this file.")
  Path trace;
  @Option(names = "--fault-rate", split = ",", description = "Random faults, e.g. 500=0.01,error=0.02,drop=0.01,stall=0.01,slow-first=0.05,429=0.01,503=0.01")
  java.util.Map<String, Double> faultRates = new java.util.HashMap<>();
  @Option(names = "--stall-seconds", description = "Length of an injected stall (default: ${DEFAULT-VALUE}).")
  double stallSeconds = 5;
  @Option(names = "--slow-first-ms", description = "Delay of an injected slow first byte (default: ${DEFAULT-VALUE}).")
  long slowFirstMs = 2000;

  @Option(names = "--busy-threads", description = "Threads that spin on the CPU while the engine has work, "
      + "as GPU engines' busy loops and CPU-bound servers do (default: ${DEFAULT-VALUE}).")
  int busyThreads = 0;
  @Option(names = "--close-connections", description = "Close each streamed connection after [DONE] while "
      + "answering keep-alive, as llama.cpp's server does.")
  boolean closeConnections;
  @Option(names = "--no-enable-prefix-caching", description = "No prefix cache (vLLM's flag; on by default, as in vLLM V1).")
  boolean noPrefixCaching;
  @Option(names = "--chunk-shape", description = "Streamed chunks shaped like vllm (default), llamacpp, sglang or tgi.")
  String chunkShape = "vllm";

  public static void main(String[] args) {
    System.exit(Cli.run(new MockMain(), args));
  }

  @Override
  public Integer call() throws InterruptedException {
    for (String k : faultRates.keySet()) {
      if (!java.util.Set.of("429", "500", "503", "error", "drop", "stall", "slow-first").contains(k)) {
        throw new CommandLine.ParameterException(new CommandLine(this),
            "unknown fault '" + k + "' in --fault-rate: use 429, 500, 503, error, drop, stall, slow-first");
      }
    }
    Faults faults = new Faults(rate("429"), rate("500"), rate("503"), rate("error"), rate("drop"),
        rate("stall"), stallSeconds, rate("slow-first"), slowFirstMs);
    MockConfig config = MockConfig.builder().host(host).port(port).modelId(model)
        .maxModelLen(maxModelLen).tokenizerDir(tokenizer).maxNumSeqs(maxNumSeqs)
        .maxNumBatchedTokens(maxNumBatchedTokens).numGpuBlocks(numGpuBlocks).blockSize(blockSize)
        .stepModel(fixedStepMs == null ? StepModel.H100_8B : StepModel.fixed(fixedStepMs))
        .timeScale(timeScale).jitter(jitter).eosProbability(eos).seed(seed).apiKey(apiKey)
        .traceFile(trace).faults(faults).busyThreads(busyThreads).closeConnections(closeConnections)
        .prefixCaching(!noPrefixCaching)
        .chunkShape(chunkShape).build();
    MockServer server = MockServer.start(config);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stop.countDown();
    }));
    System.out.println("mock vLLM server for " + model + " on " + server.baseUrl()
        + " (max_model_len " + maxModelLen + ", tokenizer " + server.tokenizer().source() + ")");
    System.out.flush();
    stop.await();
    return 0;
  }

  private double rate(String k) {
    return faultRates.getOrDefault(k, 0.0);
  }
}
