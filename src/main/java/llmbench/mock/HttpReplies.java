package llmbench.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The mock's HTTP answers: JSON bodies, vLLM's error JSON, SSE events. */
final class HttpReplies {
  private HttpReplies() {}

  static void sse(ByteBuf buf, JsonNode node) {
    try {
      buf.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
      buf.writeBytes(MockServer.JSON.writeValueAsBytes(node));
      buf.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode errorBody(String message, String type, int code) {
    ObjectNode e = MockServer.JSON.createObjectNode().put("message", message).put("type", type);
    e.putNull("param");
    e.put("code", code);
    return e;
  }

  static void sendError(Channel ch, ApiError e, boolean keepAlive) {
    ObjectNode body = MockServer.JSON.createObjectNode();
    ObjectNode err = errorBody(e.getMessage(), e.type, e.status);
    if (e.param != null) {
      err.put("param", e.param);
    }
    body.set("error", err);
    send(ch, HttpResponseStatus.valueOf(e.status), body, keepAlive);
  }

  static void send(Channel ch, HttpResponseStatus status, JsonNode body, boolean keepAlive) {
    try {
      sendBytes(ch, status, MockServer.JSON.writeValueAsBytes(body), "application/json", keepAlive);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void sendText(Channel ch, HttpResponseStatus status, String text, String type, boolean keepAlive) {
    sendBytes(ch, status, text.getBytes(StandardCharsets.UTF_8), type, keepAlive);
  }

  private static void sendBytes(Channel ch, HttpResponseStatus status, byte[] bytes, String type, boolean keepAlive) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    if (!keepAlive) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ch.writeAndFlush(res).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    } else {
      ch.writeAndFlush(res);
    }
  }
}
