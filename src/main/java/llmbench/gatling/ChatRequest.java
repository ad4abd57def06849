package llmbench.gatling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatling.javaapi.core.Session;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import llmbench.openai.Answer;

/**
 * A streamed chat completion ({@code /v1/chat/completions}): its messages in order, as values, EL or
 * session functions. An answer saved with {@code saveAnswerAs} goes back as an assistant message with
 * its tool calls ({@code assistant("#{plan}")}); a {@code tool(...)} message answers the tool call of the
 * assistant message before it (the first tool message the first call, and so on).
 *
 * <pre>{@code
 * llm("plan").chat().system("You plan trips.").user("#{question}").tools(weather).saveAnswerAs("plan")
 * }</pre>
 */
public final class ChatRequest extends LlmRequestBuilder<ChatRequest> {
  /** One message, or (role {@code messages}) a list of them from the session. */
  private record Part(String role, Function<Session, Object> content, Function<Session, Object> image) {}

  private final List<Part> parts;
  private final Function<Session, Object> tools;
  private final Function<Session, Object> toolChoice;

  ChatRequest(Common common, List<Part> parts, Function<Session, Object> tools, Function<Session, Object> toolChoice) {
    super(common);
    this.parts = List.copyOf(parts);
    this.tools = tools;
    this.toolChoice = toolChoice;
  }

  @Override
  ChatRequest with(Common c) {
    return new ChatRequest(c, parts, tools, toolChoice);
  }

  private ChatRequest add(String role, Function<Session, Object> content) {
    List<Part> more = new ArrayList<>(parts);
    more.add(new Part(role, content, null));
    return new ChatRequest(common, more, tools, toolChoice);
  }

  public ChatRequest system(String el) {
    return add("system", El.any(el));
  }

  public ChatRequest system(Function<Session, Object> content) {
    return add("system", content);
  }

  public ChatRequest user(String el) {
    return add("user", El.any(el));
  }

  public ChatRequest user(Function<Session, Object> content) {
    return add("user", content);
  }

  /** The model's turn: text, or an answer saved with {@code saveAnswerAs} (its tool calls too). */
  public ChatRequest assistant(String el) {
    return add("assistant", El.any(el));
  }

  public ChatRequest assistant(Function<Session, Object> content) {
    return add("assistant", content);
  }

  /** A tool's result, for the next tool call of the assistant message before it. */
  public ChatRequest tool(String el) {
    return add("tool", El.any(el));
  }

  public ChatRequest tool(Function<Session, Object> content) {
    return add("tool", content);
  }

  /**
   * Messages from the session as they are (OpenAI's {@code messages} shape: a list of maps, a JSON
   * array, or JSON text), e.g. a dataset's conversation or a history kept by the scenario.
   */
  public ChatRequest messages(String el) {
    return add("messages", El.any(el));
  }

  public ChatRequest messages(Function<Session, Object> messages) {
    return add("messages", messages);
  }

  /** An image with the last user message: a URL or a {@code data:} URL (e.g. {@code LlmFeeders.noiseImages}'s). */
  public ChatRequest image(String el) {
    return image(El.any(el));
  }

  public ChatRequest image(Function<Session, Object> url) {
    if (parts.isEmpty() || !parts.get(parts.size() - 1).role().equals("user")) {
      throw new IllegalArgumentException("llm(\"" + common.name() + "\"): image(...) goes with a user(...) message: put it right after one");
    }
    List<Part> more = new ArrayList<>(parts);
    Part last = more.remove(more.size() - 1);
    if (last.image() != null) {
      // several images: each its own part, in order
      Function<Session, Object> before = last.image();
      more.add(new Part("user", last.content(), s -> List.of(before.apply(s), url.apply(s))));
    } else {
      more.add(new Part("user", last.content(), url));
    }
    return new ChatRequest(common, more, tools, toolChoice);
  }

  /** The tools the model may call: OpenAI's {@code tools} array, as JSON text (or EL giving it). */
  public ChatRequest tools(String json) {
    Function<Session, Object> t = json.contains("#{") ? El.any(json) : El.constant(parse(json, "tools"));
    return new ChatRequest(common, parts, t, toolChoice);
  }

  /** The tools as objects (lists and maps, as Jackson writes them). */
  public ChatRequest tools(List<?> tools) {
    return new ChatRequest(common, parts, El.constant(JSON.valueToTree(tools)), toolChoice);
  }

  /** {@code "auto"}, {@code "required"}, {@code "none"}, or a JSON object naming a function. */
  public ChatRequest toolChoice(String choice) {
    Object value = choice.trim().startsWith("{") ? parse(choice, "toolChoice") : choice;
    return new ChatRequest(common, parts, tools, El.constant(value));
  }

  private JsonNode parse(String json, String what) {
    try {
      return JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("llm(\"" + common.name() + "\"): " + what + " is not JSON: " + e.getOriginalMessage());
    }
  }

  @Override
  Function<Session, String> path() {
    return s -> "/v1/chat/completions";
  }

  @Override
  Map<String, String> ownFields() {
    return Map.of("messages", "user(...), system(...) and the other messages", "tools", "tools(...)",
        "tool_choice", "toolChoice(...)");
  }

  @Override
  boolean hasContent() {
    return !parts.isEmpty() || tools != null || toolChoice != null;
  }

  @Override
  void fill(ObjectNode body, Session s) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("llm(\"" + common.name() + "\").chat() has no message: add user(...) or body(...)");
    }
    ArrayNode messages = body.putArray("messages");
    Deque<String> calls = new ArrayDeque<>(); // tool call ids the next tool messages answer
    for (Part p : parts) {
      Object v = p.content().apply(s);
      switch (p.role()) {
        case "messages" -> {
          JsonNode list = v instanceof String text ? parse(text, "messages") : JSON.valueToTree(v);
          if (!list.isArray()) {
            throw new IllegalArgumentException("messages(...) gave no list of messages: " + abbreviate(list.toString()));
          }
          list.forEach(messages::add);
        }
        case "assistant" -> {
          calls.clear();
          if (v instanceof Answer a) {
            messages.add(a.assistantMessage());
            a.toolCalls().forEach(c -> calls.add(c.id()));
          } else {
            messages.addObject().put("role", "assistant").put("content", text(v));
          }
        }
        case "tool" -> {
          String id = calls.poll();
          if (id == null) {
            throw new IllegalArgumentException("tool(...) answers a tool call, but the assistant message before it has none left");
          }
          messages.addObject().put("role", "tool").put("tool_call_id", id).put("content", text(v));
        }
        default -> {
          ObjectNode m = messages.addObject().put("role", p.role());
          if (p.image() == null) {
            m.put("content", text(v));
          } else {
            ArrayNode content = m.putArray("content");
            content.addObject().put("type", "text").put("text", text(v));
            Object img = p.image().apply(s);
            for (Object url : img instanceof List<?> several ? several : List.of(img)) {
              content.addObject().put("type", "image_url").putObject("image_url").put("url", text(url));
            }
          }
        }
      }
    }
    if (tools != null) {
      body.set("tools", JSON.valueToTree(tools.apply(s) instanceof String t ? parse(t, "tools") : tools.apply(s)));
    }
    if (toolChoice != null) {
      body.set("tool_choice", JSON.valueToTree(toolChoice.apply(s)));
    }
  }

  private static String text(Object v) {
    return v instanceof Answer a ? a.text() : String.valueOf(v);
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "..." : s;
  }
}
