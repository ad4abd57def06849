package llmbench.validity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code --response-format}, {@code --tools} and {@code --tool-choice} as the request fields they are:
 * OpenAI's {@code response_format} for a JSON Schema or any JSON object, vLLM's {@code structured_outputs}
 * for a regex or a choice, OpenAI's {@code tools} and {@code tool_choice}. Every schema is checked to be
 * a JSON Schema before anything is sent; a mistake is one line naming the option.
 */
public final class AnswerShape {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AnswerShape() {}

  /**
   * The fields these options give (empty when none is given).
   *
   * @param responseFormat {@code json_schema:FILE}, {@code json_object}, {@code regex:PATTERN} or {@code choice:A,B,C}
   * @param toolsFile a JSON array of OpenAI tools, or an object holding one under {@code tools}
   * @param toolChoice {@code auto}, {@code required}, {@code none} or a tool's name
   */
  public static ObjectNode fields(String responseFormat, Path toolsFile, String toolChoice) {
    ObjectNode f = JSON.createObjectNode();
    if (responseFormat != null) {
      String rf = responseFormat.trim();
      int colon = rf.indexOf(':');
      String kind = (colon < 0 ? rf : rf.substring(0, colon)).toLowerCase(Locale.ROOT);
      String arg = colon < 0 ? null : rf.substring(colon + 1);
      switch (kind) {
        case "json_schema" -> {
          if (arg == null || arg.isBlank()) {
            throw new IllegalArgumentException("--response-format json_schema needs its schema: json_schema:FILE");
          }
          Path file = Path.of(arg);
          JsonNode schema = read(file, "--response-format json_schema:" + arg);
          String why = Schemas.notASchema(schema);
          if (why != null) {
            throw new IllegalArgumentException("--response-format json_schema:" + arg + " is not a JSON Schema: " + why);
          }
          String name = file.getFileName().toString().replaceAll("\\.json$", "").replaceAll("[^A-Za-z0-9_-]", "_");
          f.putObject("response_format").put("type", "json_schema").putObject("json_schema").put("name", name)
              .put("strict", true).set("schema", schema);
        }
        case "json_object" -> {
          if (arg != null) {
            throw new IllegalArgumentException("--response-format json_object takes nothing after it, not '" + arg + "'");
          }
          f.putObject("response_format").put("type", "json_object");
        }
        case "regex" -> {
          if (arg == null || arg.isEmpty()) {
            throw new IllegalArgumentException("--response-format regex needs its pattern: regex:PATTERN");
          }
          try {
            java.util.regex.Pattern.compile(arg);
          } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("--response-format regex:" + arg + " is not a regex: " + e.getDescription());
          }
          f.putObject("structured_outputs").put("regex", arg);
        }
        case "choice" -> {
          if (arg == null || arg.isBlank()) {
            throw new IllegalArgumentException("--response-format choice needs its choices: choice:A,B,C");
          }
          ArrayNode choices = f.putObject("structured_outputs").putArray("choice");
          for (String c : arg.split(",")) {
            choices.add(c.trim());
          }
        }
        default -> throw new IllegalArgumentException("--response-format must be json_schema:FILE, json_object, "
            + "regex:PATTERN or choice:A,B,C, not '" + responseFormat + "'");
      }
    }
    if (toolsFile != null) {
      JsonNode read = read(toolsFile, "--tools " + toolsFile);
      JsonNode tools = read.isObject() && read.has("tools") ? read.get("tools") : read;
      if (!tools.isArray() || tools.isEmpty()) {
        throw new IllegalArgumentException("--tools " + toolsFile + ": a JSON array of tools is needed "
            + "([{\"type\":\"function\",\"function\":{\"name\":...,\"parameters\":{...}}}])");
      }
      for (JsonNode t : tools) {
        JsonNode fn = t.path("function");
        String name = fn.path("name").asText("");
        if (name.isEmpty()) {
          throw new IllegalArgumentException("--tools " + toolsFile + ": every tool needs function.name");
        }
        if (fn.has("parameters")) {
          String why = Schemas.notASchema(fn.get("parameters"));
          if (why != null) {
            throw new IllegalArgumentException("--tools " + toolsFile + ": the parameters of " + name
                + " are not a JSON Schema: " + why);
          }
        }
      }
      f.set("tools", tools);
    }
    if (toolChoice != null) {
      if (toolsFile == null) {
        throw new IllegalArgumentException("--tool-choice chooses among --tools: give the tools too");
      }
      String c = toolChoice.trim();
      if (c.equals("auto") || c.equals("required") || c.equals("none")) {
        f.put("tool_choice", c);
      } else {
        boolean known = false;
        for (JsonNode t : f.get("tools")) {
          known |= t.path("function").path("name").asText().equals(c);
        }
        if (!known) {
          throw new IllegalArgumentException("--tool-choice " + c + ": no tool of that name in --tools (or use auto, "
              + "required, none)");
        }
        f.putObject("tool_choice").put("type", "function").putObject("function").put("name", c);
      }
    }
    return f;
  }

  private static JsonNode read(Path file, String option) {
    try {
      return JSON.readTree(Files.readString(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(option + ": not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new IllegalArgumentException(option + ": cannot read the file (" + e.getMessage() + ")");
    }
  }
}
