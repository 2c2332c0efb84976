package dev.baton.devcluster.validation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;

/** Reads YAML (or JSON, which is YAML) into Jackson trees, integers as longs as the rest of the package expects. */
final class Yaml {

  private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.USE_LONG_FOR_INTS);

  private Yaml() {}

  static JsonNode read(String yaml) {
    try {
      return MAPPER.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
    }
  }
}
