package llmbench.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;

/**
 * The {@code -Dllm.*} adapter for {@code mvn gatling:test}: each property is the option of the same
 * meaning ({@code -Dllm.input=200} is {@code --input-len 200}), parsed by {@link RunOptions} into the
 * same {@link RunConfig} as the scripts build, with the same defaults and checks; an error names the
 * property. The only place that knows these names (docs/CONFIGURATION.md lists them).
 */
public final class LlmProperties {
  public static final String PREFIX = "llm.";
  /** Property (after {@code llm.}) → option; a boolean option takes {@code true} or {@code false}. */
  public static final Map<String, String> OPTIONS = new LinkedHashMap<>();
  static {
    String[][] pairs = {{"url", "--url"}, {"model", "--model"}, {"tokenizer", "--tokenizer"},
        {"maxModelLen", "--max-model-len"}, {"mock", "--mock"}, {"mockTimeScale", "--mock-time-scale"},
        {"workload", "--workload"}, {"profile", "--profiles"}, {"endpoint", "--endpoint"}, {"input", "--input-len"},
        {"output", "--output-len"}, {"levels", "--levels"}, {"rounds", "--rounds"}, {"requestRate", "--request-rate"},
        {"burstiness", "--burstiness"}, {"maxConcurrency", "--max-concurrency"}, {"numPrompts", "--num-prompts"},
        {"dataset", "--dataset"}, {"prefixLen", "--prefix-len"}, {"numPrefixes", "--num-prefixes"},
        {"flushCache", "--flush-cache"}, {"turns", "--turns"}, {"thinkTimeMs", "--think-time-ms"},
        {"seed", "--seed"}, {"warmup", "--warmup-requests"}, {"timeout", "--timeout"},
        {"headersTimeout", "--headers-timeout"}, {"chunkTimeout", "--chunk-timeout"},
        {"connections", "--connections"}, {"percentiles", "--percentiles"},
        {"percentileMetrics", "--percentile-metrics"}, {"goodput", "--goodput"}, {"out", "--out"},
        {"gatlingResults", "--gatling-results"}, {"metricsInterval", "--metrics-interval-ms"},
        {"imageFormat", "--image-format"}, {"clientWarmup", "--no-client-warmup"}, {"minTokens", "--no-min-tokens"},
        {"shard", "--shard"}, {"shards", "--shards"}, {"coordinator", "--coordinator"},
        {"barrierTimeout", "--barrier-timeout"}, {"mergeInto", "--merge-into"},
        {"rampUpStrategy", "--ramp-up-strategy"}, {"rampUpStartRps", "--ramp-up-start-rps"},
        {"rampUpEndRps", "--ramp-up-end-rps"}, {"traceSpeedup", "--trace-speedup"}, {"traceStart", "--trace-start"},
        {"traceEnd", "--trace-end"}, {"traceBlockSize", "--trace-block-size"},
        {"imagesPerRequest", "--images-per-request"}, {"imageSizes", "--image-sizes"},
        {"maxErrorRate", "--max-error-rate"}, {"errorMinRequests", "--error-min-requests"},
        {"maxDuration", "--max-duration"}, {"stopOnSaturation", "--stop-on-saturation"},
        {"caCert", "--ca-cert"}, {"insecure", "--insecure"}, {"extraBody", "--extra-body"},
        {"temperature", "--temperature"}, {"topP", "--top-p"}, {"topK", "--top-k"}, {"header", "--header"},
        {"responseFormat", "--response-format"}, {"tools", "--tools"}, {"toolChoice", "--tool-choice"},
        {"loraModules", "--lora-modules"}, {"loraAssignment", "--lora-assignment"}, {"cancelRate", "--cancel-rate"},
        {"cancelAfterTokens", "--cancel-after-tokens"}, {"cancelAfter", "--cancel-after"},
        {"batchSize", "--batch-size"}};
    for (String[] p : pairs) {
      OPTIONS.put(p[0], p[1]);
    }
  }
  /** The two numbers of run_vision_test.sh's IM_WIDTH IM_HEIGHT. */
  static final List<String> IMAGE_SIZE = List.of("imageWidth", "imageHeight");

  private LlmProperties() {}

  /** The run that this JVM's {@code -Dllm.*} properties describe (Gatling's console: no live line). */
  public static RunConfig fromSystemProperties(boolean vision) {
    Map<String, String> props = new TreeMap<>();
    System.getProperties().forEach((k, v) -> props.put(k.toString(), v.toString()));
    return toConfig(props, System.getenv(), vision);
  }

  public static RunConfig toConfig(Map<String, String> props, Map<String, String> env, boolean vision) {
    List<String> args = args(props);
    RunOptions options = new RunOptions();
    try {
      CommandLine.ParseResult given = new CommandLine(options).parseArgs(args.toArray(String[]::new));
      return options.toConfig(given, vision, false, env);
    } catch (CommandLine.ParameterException | IllegalArgumentException e) {
      throw new IllegalArgumentException(inPropertyNames(e.getMessage()), e);
    }
  }

  /** The options the properties stand for; an unknown {@code llm.*} property is an error, not ignored. */
  static List<String> args(Map<String, String> props) {
    List<String> args = new ArrayList<>();
    String[] size = new String[2];
    for (Map.Entry<String, String> e : props.entrySet()) {
      if (!e.getKey().startsWith(PREFIX) || e.getValue() == null || e.getValue().isBlank()) {
        continue;
      }
      String name = e.getKey().substring(PREFIX.length());
      String value = e.getValue().trim();
      if (IMAGE_SIZE.contains(name)) {
        size[IMAGE_SIZE.indexOf(name)] = value;
        continue;
      }
      String option = OPTIONS.get(name);
      if (option == null) {
        throw new IllegalArgumentException("unknown setting -D" + e.getKey() + " (docs/CONFIGURATION.md lists them)");
      }
      if (option.equals("--mock") || option.equals("--flush-cache") || option.equals("--stop-on-saturation")
          || option.equals("--insecure") || option.startsWith("--no-")) {
        if (!value.equals("true") && !value.equals("false")) {
          throw new IllegalArgumentException("-D" + e.getKey() + " must be true or false, not '" + value + "'");
        }
        // clientWarmup=false is the option --no-client-warmup, minTokens=false --no-min-tokens
        if (value.equals("true") != option.startsWith("--no-")) {
          args.add(option);
        }
        continue;
      }
      args.add(option);
      args.add(value);
    }
    if (size[0] != null || size[1] != null) {
      args.add(size[0] != null ? size[0] : "512");
      args.add(size[1] != null ? size[1] : "512");
    }
    return args;
  }

  /** A message about options, told in the properties' names ({@code --input-len} is {@code -Dllm.input}). */
  public static String named(String message) {
    return inPropertyNames(message);
  }

  static String inPropertyNames(String message) {
    String m = message;
    for (Map.Entry<String, String> e : OPTIONS.entrySet()) {
      m = m.replaceAll("(?<![\\w-])" + java.util.regex.Pattern.quote(e.getValue()) + "(?![\\w-])",
          "-D" + PREFIX + e.getKey());
    }
    return m;
  }
}
