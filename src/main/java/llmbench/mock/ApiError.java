package llmbench.mock;

/** An error the mock answers with vLLM's error JSON (vllm/entrypoints/openai/protocol.py ErrorResponse). */
final class ApiError extends RuntimeException {
  final int status;
  final String type;
  final String param;

  ApiError(int status, String type, String param, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.param = param;
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, "BadRequestError", null, message);
  }
}
