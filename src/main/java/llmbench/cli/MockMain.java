package llmbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import llmbench.mock.MockConfig;
import llmbench.mock.MockOptions;
import llmbench.mock.MockServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./mock_server.sh}: the vLLM-compatible mock server, standalone. */
@Command(name = "mock_server.sh", mixinStandardHelpOptions = true, sortOptions = false,
    description = "A vLLM-compatible OpenAI server with a simulated engine (no GPU). Ctrl-C stops it.",
    footer = {"%nExamples:", "  ./mock_server.sh --port 8000", "  ./mock_server.sh --time-scale 0.1 --max-num-seqs 32",
        "  ./mock_server.sh --busy-threads 2 --chunk-shape llamacpp --fault-rate 429=0.01"})
public final class MockMain implements Callable<Integer> {
  @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host = MockConfig.builder().host;
  @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int port = MockConfig.builder().port;
  @Mixin
  MockOptions engine = new MockOptions();
  @Option(names = "--api-key", description = "Require this bearer key on /v1/* (also from VLLM_API_KEY).")
  String apiKey = System.getenv("VLLM_API_KEY");
  @Option(names = "--trace", description = "Write per-request ground truth (JSONL) to this file.")
  Path trace;

  public static void main(String[] args) {
    System.exit(Cli.run(new MockMain(), args));
  }

  @Override
  public Integer call() throws InterruptedException {
    MockConfig config = engine.builder().host(host).port(port).apiKey(apiKey).traceFile(trace).build();
    MockServer server = MockServer.start(config);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stop.countDown();
    }));
    System.out.println("mock vLLM server for " + engine.model() + " on " + server.baseUrl()
        + " (max_model_len " + engine.maxModelLen() + ", tokenizer " + server.tokenizer().source() + ")");
    System.out.flush();
    stop.await();
    return 0;
  }
}
