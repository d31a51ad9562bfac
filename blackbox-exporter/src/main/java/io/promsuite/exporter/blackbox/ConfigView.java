package io.promsuite.exporter.blackbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.promsuite.exporter.blackbox.config.Secret;
import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;

/** The loaded configuration as YAML for {@code GET /config} and debug output, secrets masked. */
final class ConfigView {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      .registerModule(new SimpleModule("blackbox-view")
          .addSerializer(Secret.class, new JsonSerializer<>() {
            @Override
            public void serialize(Secret s, JsonGenerator g, SerializerProvider p) throws IOException {
              g.writeString(s.isEmpty() ? "" : "<secret>");
            }
          })
          .addSerializer(Pattern.class, new JsonSerializer<>() {
            @Override
            public void serialize(Pattern re, JsonGenerator g, SerializerProvider p) throws IOException {
              g.writeString(re.pattern());
            }
          })
          .addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration d, JsonGenerator g, SerializerProvider p) throws IOException {
              g.writeString(goDuration(d));
            }
          }));

  private ConfigView() {}

  static String yaml(Object config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      return "# cannot render configuration: " + e.getOriginalMessage() + "\n";
    }
  }

  /** Go's time.Duration String(): 5s, 1m30s, 500ms, 0s. */
  static String goDuration(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toMillis() < 1000 && d.toNanosPart() % 1_000_000 == 0) {
      return d.toMillis() + "ms";
    }
    StringBuilder sb = new StringBuilder();
    if (d.toHours() > 0) {
      sb.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0 || d.toHours() > 0) {
      sb.append(d.toMinutesPart()).append('m');
    }
    double s = d.toSecondsPart() + d.toNanosPart() / 1e9;
    sb.append(s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s)).append('s');
    return sb.toString();
  }
}
