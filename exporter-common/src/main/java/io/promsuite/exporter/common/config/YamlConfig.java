package io.promsuite.exporter.common.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.promsuite.exporter.common.cli.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Strict YAML to immutable records: an unknown key, a duplicate key, a wrong type, a bad regexp
 * or duration is an error naming the file, line, field and what is accepted. Records validate
 * themselves in their compact constructors by throwing {@link IllegalArgumentException}.
 */
public final class YamlConfig {
  private final ObjectMapper mapper;

  public YamlConfig() {
    SimpleModule module = new SimpleModule("promsuite-config");
    module.addDeserializer(Duration.class, new JsonDeserializer<>() {
      @Override
      public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        String text = p.getValueAsString();
        try {
          return Durations.parse(text);
        } catch (IllegalArgumentException e) {
          throw InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
        }
      }
    });
    module.addDeserializer(Pattern.class, new JsonDeserializer<>() {
      @Override
      public Pattern deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        String text = p.getValueAsString();
        try {
          // Go's regexps are RE2; anchoring and syntax match Java's for the patterns people write.
          return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
          throw InvalidFormatException.from(p,
              "invalid regular expression '" + text + "': " + e.getDescription(), text, Pattern.class);
        }
      }
    });
    mapper = new ObjectMapper(new YAMLFactory())
        .registerModule(module)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
  }

  /** Loads {@code file} into {@code type}; an empty file yields {@code emptyValue}. */
  public <T> T load(Path file, Class<T> type, T emptyValue) throws ConfigException {
    return parse(file, readText(file), type, emptyValue);
  }

  /** A config file's text; a missing or unreadable file is a one-line error naming it. */
  public static String readText(Path file) throws ConfigException {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file, "file does not exist");
    } catch (IOException e) {
      throw new ConfigException(file, "cannot read: " + e.getMessage());
    }
  }

  /** Parses YAML text; {@code file} only names the source in errors. */
  public <T> T parse(Path file, String text, Class<T> type, T emptyValue) throws ConfigException {
    if (text.isBlank()) {
      return emptyValue;
    }
    try {
      T value = mapper.readValue(text, type);
      return value == null ? emptyValue : value;
    } catch (JsonProcessingException e) {
      throw translate(file, text, e);
    }
  }

  private static ConfigException translate(Path file, String text, JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    int line = loc == null ? 0 : loc.getLineNr();
    int col = loc == null ? 0 : loc.getColumnNr();
    if (e instanceof UnrecognizedPropertyException upe && line > 0) {
      // The YAML parser reports where it stopped reading, which can be past the key: point at the key.
      int keyLine = lineOfKey(text, upe.getPropertyName(), line);
      if (keyLine > 0) {
        line = keyLine;
        col = 0;
      }
    }
    String field = null;
    String problem;
    if (e instanceof JsonMappingException jme) {
      field = jme.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining(".")).replace(".[", "[");
    }
    if (e instanceof UnrecognizedPropertyException upe) {
      problem = "unknown field \"" + upe.getPropertyName() + "\"; accepted here: "
          + upe.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
    } else if (e instanceof ValueInstantiationException vie && vie.getCause() != null) {
      problem = vie.getCause().getMessage();
    } else if (e instanceof InvalidFormatException ife) {
      problem = ife.getOriginalMessage();
      if (problem.startsWith("Cannot deserialize")) {
        problem = "'" + ife.getValue() + "' is not a valid " + simpleType(ife.getTargetType());
      }
    } else if (e instanceof MismatchedInputException mie) {
      problem = "expected " + simpleType(mie.getTargetType()) + " (" + firstLine(mie.getOriginalMessage()) + ")";
    } else {
      problem = firstLine(e.getOriginalMessage());
    }
    return new ConfigException(file, line, col, field, problem, e);
  }

  /** The last line at or before {@code upTo} that starts (after indentation) with {@code key:}. */
  private static int lineOfKey(String text, String key, int upTo) {
    String[] lines = text.split("\n", -1);
    for (int i = Math.min(upTo, lines.length) - 1; i >= 0; i--) {
      String t = lines[i].stripLeading();
      if (t.startsWith("- ")) {
        t = t.substring(2).stripLeading();
      }
      if (t.startsWith(key + ":") || t.startsWith("\"" + key + "\":") || t.startsWith("'" + key + "':")) {
        return i + 1;
      }
    }
    return 0;
  }

  private static String simpleType(Class<?> type) {
    if (type == null) {
      return "a value";
    }
    if (type.isEnum()) {
      StringBuilder sb = new StringBuilder("one of");
      for (Object c : type.getEnumConstants()) {
        sb.append(' ').append(c.toString().toLowerCase());
      }
      return sb.toString();
    }
    if (type == Duration.class) {
      return "duration (e.g. 10s, 500ms)";
    }
    if (java.util.Map.class.isAssignableFrom(type)) {
      return "a mapping";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (type.isRecord()) {
      return "a mapping";
    }
    return type.getSimpleName().toLowerCase();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
