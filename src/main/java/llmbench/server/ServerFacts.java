package llmbench.server;

/** The server a run talks to, as discovery found it once per run: its address, model and context length. */
public record ServerFacts(String baseUrl, Discovery.Result discovered) {}
