package llmbench.gatling.llm;

import io.gatling.core.CoreComponents;
import io.gatling.core.config.GatlingConfiguration;
import io.gatling.core.protocol.Protocol;
import io.gatling.core.protocol.ProtocolKey;
import java.nio.file.Path;

/**
 * The LLM protocol of a simulation, as Gatling holds it: one server (address, key, timeouts, keep-alive),
 * the model asked for when a request names none, the tokenizer folder, where Gatling's run folders are,
 * and what kind of run it is ({@link LlmRun.Factory}: a user's simulation, or the seed's sweep). Gatling
 * builds its {@link LlmComponents} once per run through {@link #KEY}; the public builder is
 * {@code llmbench.gatling.LlmProtocolBuilder}.
 *
 * @param model null: the first model of the server's {@code /v1/models}, asked once when the run starts
 * @param tokenizer the tokenizer folder (counts output tokens when a server sends no usage); null for fake_model/
 * @param resultsRoot where Gatling writes its run folders; null to find it ({@link RunFolders#root})
 */
public record LlmProtocol(LlmSettings settings, String model, Path tokenizer, Path resultsRoot, LlmRun.Factory run)
    implements Protocol {

  public static final ProtocolKey<LlmProtocol, LlmComponents> KEY = new ProtocolKey<>() {
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Class<Protocol> protocolClass() {
      return (Class) LlmProtocol.class;
    }

    @Override
    public LlmProtocol defaultProtocolValue(GatlingConfiguration configuration) {
      throw new IllegalArgumentException("an llm(...) request needs the LLM protocol: "
          + "setUp(...).protocols(llm.baseUrl(\"http://HOST:PORT\"))");
    }

    /**
     * Once per Gatling run; the function it returns is applied once per population (each level of a
     * sweep is one), so that each protocol's components are opened once and shared by them all.
     */
    @Override
    public scala.Function1<LlmProtocol, LlmComponents> newComponents(CoreComponents core) {
      java.util.Map<LlmProtocol, LlmComponents> open = new java.util.concurrent.ConcurrentHashMap<>();
      return protocol -> open.computeIfAbsent(protocol, p -> LlmComponents.open(p, core));
    }
  };
}
