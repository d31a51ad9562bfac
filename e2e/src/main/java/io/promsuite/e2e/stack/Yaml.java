package io.promsuite.e2e.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** YAML trees for the config rewriters: read a reference file, write the generated one. */
final class Yaml {
  private static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .build());

  private Yaml() {}

  static JsonNode read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": reference file missing");
    }
    try {
      return MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  static String write(JsonNode tree) throws IOException {
    return MAPPER.writeValueAsString(tree);
  }

  static ObjectMapper mapper() {
    return MAPPER;
  }
}
