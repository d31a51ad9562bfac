package io.promsuite.exporter.common.config;

import io.promsuite.exporter.common.cli.Durations;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Strict YAML to immutable records, bound from SnakeYAML's node tree: a record's YAML keys are its
 * components' names in snake_case ({@code failIfMatches} is {@code fail_if_matches}); an unknown key,
 * a duplicate key, a wrong type, a bad regexp or duration is an error naming the file, line, field
 * and what is accepted. A missing key is null for the record's compact constructor, which fills its
 * default or refuses with {@link IllegalArgumentException} (reported at the record's line and path).
 * Types: records, {@code List}, {@code Map<String, V>}, String, Boolean, Integer, Long, Double,
 * {@link Duration} (Go's syntax), {@link Pattern}; a record of one component also reads from a
 * scalar ({@code password: x} into {@code Secret(String value)}). Jackson's data binding did this
 * before at ~0.5 s of class loading on every cold start.
 */
public final class YamlConfig {
  /**
   * A record type whose keys sit in the mapping of the record that holds it, as Go's
   * {@code yaml:",inline"} (Prometheus' HTTP client config in a scrape config or a blackbox module).
   * A marker type, not an annotation: reading annotations on a cold JVM spins a proxy class (~0.1 s).
   */
  public interface Inline {}

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
    Node root = compose(file, text);
    if (root == null || isNull(root)) {
      return emptyValue;
    }
    return type.cast(new Binder(file).bind(root, type, ""));
  }

  /** The node tree of YAML text (null for no document); a syntax error names the file and line. */
  public static Node compose(Path file, String text) throws ConfigException {
    try {
      return new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new ConfigException(file, line, 0, null, e.getProblem(), e);
    } catch (YAMLException e) {
      throw new ConfigException(file, 0, 0, null, e.getMessage(), e);
    }
  }

  /** YAML key of a record component: its name in snake_case. */
  public static String yamlName(RecordComponent c) {
    String name = c.getName();
    StringBuilder sb = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (Character.isUpperCase(ch)) {
        sb.append('_').append(Character.toLowerCase(ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  /**
   * The reverse of loading, for showing a loaded config: records become mappings under their YAML
   * keys ({@link Inline} ones merged in), lists and maps stay, strings, numbers and booleans
   * stay; {@code leaf} shows any other value (a duration, a regexp, a secret) or returns null for
   * records to show as mappings and values to show as their {@code toString()}.
   */
  public static Object tree(Object value, java.util.function.Function<Object, Object> leaf) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(tree(v, leaf)));
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, tree(v, leaf)));
      return out;
    }
    Object shown = leaf.apply(value);
    if (shown != null) {
      return shown;
    }
    if (value.getClass().isRecord()) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (RecordComponent c : value.getClass().getRecordComponents()) {
        Object v;
        try {
          var accessor = c.getAccessor();
          accessor.setAccessible(true);
          v = accessor.invoke(value);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + c, e);
        }
        if (isInline(c) && tree(v, leaf) instanceof Map<?, ?> inline) {
          inline.forEach((k, x) -> out.put((String) k, x));
        } else {
          out.put(yamlName(c), tree(v, leaf));
        }
      }
      return out;
    }
    return value.toString();
  }

  /**
   * The keys a record reads, each with its component path from the record (one element, or more
   * through {@link Inline} components), in declaration order.
   */
  private static Map<String, List<RecordComponent>> keys(Class<?> record) {
    Map<String, List<RecordComponent>> out = new LinkedHashMap<>();
    for (RecordComponent c : record.getRecordComponents()) {
      if (isInline(c)) {
        keys(c.getType()).forEach((k, path) -> {
          List<RecordComponent> p = new ArrayList<>();
          p.add(c);
          p.addAll(path);
          out.put(k, p);
        });
      } else {
        out.put(yamlName(c), List.of(c));
      }
    }
    return out;
  }

  /** One reading of one file: errors name it. */
  private static final class Binder {
    private final Path file;

    Binder(Path file) {
      this.file = file;
    }

    private Object bind(Node node, Type type, String field) throws ConfigException {
      if (isNull(node)) {
        return null;
      }
      Class<?> raw = rawType(type);
      if (raw.isRecord()) {
        return bindRecord(node, raw, field);
      }
      if (raw == List.class) {
        if (!(node instanceof SequenceNode seq)) {
          throw error(node, field, "expected a list");
        }
        Type item = typeArgument(type, 0);
        List<Object> out = new ArrayList<>();
        for (Node n : seq.getValue()) {
          out.add(bind(n, item, field + "[" + out.size() + "]"));
        }
        return out;
      }
      if (raw == Map.class) {
        Type value = typeArgument(type, 1);
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : tuples(node, field)) {
          String key = scalar(t.getKeyNode(), field);
          if (out.containsKey(key)) {
            throw error(t.getKeyNode(), field, "duplicate key \"" + key + "\"");
          }
          out.put(key, bind(t.getValueNode(), value, join(field, key)));
        }
        return out;
      }
      return bindScalar(node, raw, field);
    }

    private Object bindRecord(Node node, Class<?> record, String field) throws ConfigException {
      RecordComponent[] components = record.getRecordComponents();
      if (node instanceof ScalarNode && components.length == 1) {
        return construct(node, record, field, new Object[] {bind(node, components[0].getGenericType(), field)});
      }
      Map<String, List<RecordComponent>> keys = keys(record);
      Map<String, Node> given = new LinkedHashMap<>();
      for (NodeTuple t : tuples(node, field)) {
        String key = scalar(t.getKeyNode(), field);
        if (!keys.containsKey(key)) {
          throw error(t.getKeyNode(), join(field, key), "unknown field \"" + key + "\"; accepted here: "
              + String.join(", ", new TreeSet<>(keys.keySet())));
        }
        if (given.put(key, t.getValueNode()) != null) {
          throw error(t.getKeyNode(), join(field, key), "duplicate field \"" + key + "\"");
        }
      }
      return fill(node, record, field, keys, given, List.of());
    }

    /** Builds {@code record}, reached through the {@link Inline} components {@code inline}, from the given nodes. */
    private Object fill(Node node, Class<?> record, String field, Map<String, List<RecordComponent>> keys,
        Map<String, Node> given, List<String> inline) throws ConfigException {
      RecordComponent[] components = record.getRecordComponents();
      Object[] args = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        RecordComponent c = components[i];
        if (isInline(c)) {
          List<String> deeper = new ArrayList<>(inline);
          deeper.add(c.getName());
          args[i] = fill(node, c.getType(), field, keys, given, deeper);
          continue;
        }
        String key = yamlName(c);
        Node value = given.get(key);
        if (value != null && names(keys.get(key)).equals(withName(inline, c))) {
          args[i] = bind(value, c.getGenericType(), join(field, key));
        }
        if (args[i] == null && c.getType().isPrimitive()) {
          throw error(value != null ? value : node, join(field, key), "must be set");
        }
      }
      return construct(node, record, field, args);
    }

    private Object construct(Node node, Class<?> record, String field, Object[] args) throws ConfigException {
      RecordComponent[] components = record.getRecordComponents();
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
      }
      try {
        Constructor<?> ctor = record.getDeclaredConstructor(types);
        ctor.setAccessible(true);
        return ctor.newInstance(args);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof IllegalArgumentException iae) {
          throw error(node, field, iae.getMessage());
        }
        throw new IllegalStateException("cannot build " + record.getSimpleName(), e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot build " + record.getSimpleName(), e);
      }
    }

    private Object bindScalar(Node node, Class<?> type, String field) throws ConfigException {
      if (!(node instanceof ScalarNode s)) {
        throw error(node, field, "expected " + describe(type));
      }
      String text = s.getValue();
      try {
        if (type == String.class) {
          return text;
        }
        if (type == Boolean.class || type == boolean.class) {
          return switch (text) {
            case "true", "True", "TRUE" -> true;
            case "false", "False", "FALSE" -> false;
            default -> throw error(node, field, "'" + text + "' is not a valid boolean");
          };
        }
        if (type == Integer.class || type == int.class) {
          return Integer.valueOf(text.replace("_", ""));
        }
        if (type == Long.class || type == long.class) {
          return Long.valueOf(text.replace("_", ""));
        }
        if (type == Double.class || type == double.class) {
          return Double.valueOf(text);
        }
      } catch (NumberFormatException e) {
        throw error(node, field, "'" + text + "' is not a valid " + describe(type));
      }
      if (type == Duration.class) {
        try {
          return Durations.parse(text);
        } catch (IllegalArgumentException e) {
          throw error(node, field, e.getMessage());
        }
      }
      if (type == Pattern.class) {
        try {
          // Go's regexps are RE2; anchoring and syntax match Java's for the patterns people write.
          return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
          throw error(node, field, "invalid regular expression '" + text + "': " + e.getDescription());
        }
      }
      throw new IllegalStateException("config type " + type.getName() + " has no YAML reading");
    }

    private List<NodeTuple> tuples(Node node, String field) throws ConfigException {
      if (!(node instanceof MappingNode m)) {
        throw error(node, field, "expected a mapping");
      }
      return m.getValue();
    }

    private String scalar(Node n, String field) throws ConfigException {
      if (!(n instanceof ScalarNode s)) {
        throw error(n, field, "expected a string");
      }
      return s.getValue();
    }

    private ConfigException error(Node at, String field, String problem) {
      int line = at == null || at.getStartMark() == null ? 0 : at.getStartMark().getLine() + 1;
      return new ConfigException(file, line, 0, field, problem, null);
    }
  }

  private static String describe(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "integer";
    }
    if (type == Double.class || type == double.class) {
      return "number";
    }
    if (type == Duration.class) {
      return "duration (e.g. 10s, 500ms)";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "boolean";
    }
    return "a string";
  }

  private static boolean isInline(RecordComponent c) {
    return Inline.class.isAssignableFrom(c.getType());
  }

  private static List<String> names(List<RecordComponent> path) {
    return path.stream().map(RecordComponent::getName).toList();
  }

  private static List<String> withName(List<String> inline, RecordComponent c) {
    List<String> out = new ArrayList<>(inline);
    out.add(c.getName());
    return out;
  }

  private static Class<?> rawType(Type type) {
    return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
  }

  private static Type typeArgument(Type type, int i) {
    return type instanceof ParameterizedType p ? p.getActualTypeArguments()[i] : Object.class;
  }

  private static String join(String field, String key) {
    return field.isEmpty() ? key : field + "." + key;
  }

  private static boolean isNull(Node n) {
    return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

}
