package llmbench.validity;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON Schemas as structured output and tool parameters use them (draft 2020-12 unless a schema names
 * its own {@code $schema}): checked against their meta-schema (bundled with the validator, nothing is
 * fetched), compiled once per distinct schema, and applied to answers.
 */
public final class Schemas {
  /** Nothing is fetched: meta-schemas come from the validator's jar, a remote {@code $ref} is an error. */
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
      b -> b.schemaLoader(l -> l.fetchRemoteResources(false)));
  private static final int CACHED = 256;
  private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();

  private Schemas() {}

  /** Why {@code schema} is not a JSON Schema, or null when it is one. */
  public static String notASchema(JsonNode schema) {
    if (schema == null || !(schema.isObject() || schema.isBoolean())) {
      return "a JSON Schema is an object (or true/false), not " + (schema == null ? "nothing" : schema.getNodeType());
    }
    String dialect = schema.path("$schema").asText("https://json-schema.org/draft/2020-12/schema");
    Schema meta;
    try {
      meta = REGISTRY.getSchema(SchemaLocation.of(dialect));
    } catch (RuntimeException e) {
      return "its $schema " + dialect + " is not a dialect this run knows (draft 4, 6, 7, 2019-09, 2020-12)";
    }
    List<Error> errors = meta.validate(schema);
    if (!errors.isEmpty()) {
      return errors.get(0).toString();
    }
    try {
      errors(schema, com.fasterxml.jackson.databind.node.NullNode.getInstance()); // compiles it, its $refs resolved
      return null;
    } catch (RuntimeException e) {
      return "it cannot be applied offline (" + e.getMessage() + ")";
    }
  }

  /** The errors of {@code instance} against {@code schema}: empty when it conforms. */
  public static List<String> errors(JsonNode schema, JsonNode instance) {
    Schema s = COMPILED.get(schema.toString());
    if (s == null) {
      if (COMPILED.size() >= CACHED) {
        COMPILED.clear(); // a run with more distinct schemas than this compiles some again
      }
      s = REGISTRY.getSchema(schema);
      COMPILED.put(schema.toString(), s);
    }
    return s.validate(instance).stream().map(Error::toString).toList();
  }
}
