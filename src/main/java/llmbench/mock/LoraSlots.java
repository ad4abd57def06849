package llmbench.mock;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The LoRA adapters resident on the simulated GPU (vLLM's {@code --max-loras}, least recently used
 * evicted): a request for an adapter that is not resident waits for its load before its prefill, the
 * cost a benchmark over many adapters exists to show.
 */
final class LoraSlots {
  private final MockConfig config;
  private final Map<String, Boolean> resident;

  LoraSlots(MockConfig config) {
    this.config = config;
    this.resident = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > config.maxLoras();
      }
    };
  }

  /** The wait of a request for {@code model} (ms of real time): a load when it is an adapter not resident. */
  synchronized long loadMs(String model) {
    if (model == null || !config.loraModules().contains(model) || resident.get(model) != null) {
      return 0;
    }
    resident.put(model, Boolean.TRUE);
    return Math.round(config.loraLoadMs() * config.timeScale());
  }
}
