package io.promsuite.exporter.common.web;

import io.promsuite.exporter.common.config.ConfigException;
import io.promsuite.exporter.common.config.YamlConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a web config straight from SnakeYAML's node tree, with the same strictness and file:line:
 * field errors as {@link YamlConfig}: the web config is read at
 * every start (and again when it changes), and Jackson's data binding costs more start-up time
 * than the whole TLS set-up on a cold JVM, for a schema of a dozen fields.
 */
final class WebConfigReader {
  private final Path file;

  private WebConfigReader(Path file) {
    this.file = file;
  }

  static WebConfig read(Path file) throws ConfigException {
    return new WebConfigReader(file).parse(YamlConfig.readText(file));
  }

  private WebConfig parse(String text) throws ConfigException {
    Node root = YamlConfig.compose(file, text);
    if (root == null || isNull(root)) {
      return WebConfig.NONE;
    }
    Map<String, Node> top = mapping(root, "", Set.of("tls_server_config", "http_server_config", "basic_auth_users"));
    WebConfig.TlsServerConfig tls = null;
    Node t = top.get("tls_server_config");
    if (t != null && !isNull(t)) {
      Map<String, Node> f = mapping(t, "tls_server_config", Set.of("cert_file", "key_file", "client_auth_type",
          "client_ca_file", "min_version", "max_version", "cipher_suites", "curve_preferences",
          "prefer_server_cipher_suites", "client_allowed_sans"));
      tls = build(t, "tls_server_config", () -> new WebConfig.TlsServerConfig(
          string(f, "tls_server_config", "cert_file"), string(f, "tls_server_config", "key_file"),
          string(f, "tls_server_config", "client_auth_type"), string(f, "tls_server_config", "client_ca_file"),
          string(f, "tls_server_config", "min_version"), string(f, "tls_server_config", "max_version"),
          strings(f, "tls_server_config", "cipher_suites"), strings(f, "tls_server_config", "curve_preferences"),
          bool(f, "tls_server_config", "prefer_server_cipher_suites"),
          strings(f, "tls_server_config", "client_allowed_sans")));
    }
    WebConfig.HttpServerConfig http = null;
    Node h = top.get("http_server_config");
    if (h != null && !isNull(h)) {
      Map<String, Node> f = mapping(h, "http_server_config", Set.of("http2", "headers"));
      http = build(h, "http_server_config", () -> new WebConfig.HttpServerConfig(
          bool(f, "http_server_config", "http2"), stringMap(f.get("headers"), "http_server_config.headers")));
    }
    Map<String, String> users = stringMap(top.get("basic_auth_users"), "basic_auth_users");
    WebConfig.TlsServerConfig tlsConfig = tls;
    WebConfig.HttpServerConfig httpConfig = http;
    Node users0 = top.get("basic_auth_users");
    return build(users0 != null ? users0 : root, users0 != null ? "basic_auth_users" : "",
        () -> new WebConfig(tlsConfig, httpConfig, users));
  }

  private interface Construction<T> {
    T make() throws ConfigException;
  }

  /** A record's compact constructor refuses with IllegalArgumentException: that is a config error at its node. */
  private <T> T build(Node at, String field, Construction<T> construction) throws ConfigException {
    try {
      return construction.make();
    } catch (IllegalArgumentException e) {
      throw error(at, field, e.getMessage());
    }
  }

  private Map<String, Node> mapping(Node node, String field, Set<String> accepted) throws ConfigException {
    if (!(node instanceof MappingNode m)) {
      throw error(node, field, "expected a mapping");
    }
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple tuple : m.getValue()) {
      String key = scalar(tuple.getKeyNode(), field);
      if (!accepted.contains(key)) {
        throw error(tuple.getKeyNode(), field, "unknown field \"" + key + "\"; accepted here: "
            + String.join(", ", new TreeSet<>(accepted)));
      }
      if (out.put(key, tuple.getValueNode()) != null) {
        throw error(tuple.getKeyNode(), field, "duplicate field \"" + key + "\"");
      }
    }
    return out;
  }

  private String string(Map<String, Node> fields, String parent, String name) throws ConfigException {
    Node n = fields.get(name);
    return n == null || isNull(n) ? null : scalar(n, parent + "." + name);
  }

  private Boolean bool(Map<String, Node> fields, String parent, String name) throws ConfigException {
    String s = string(fields, parent, name);
    if (s == null) {
      return null;
    }
    return switch (s) {
      case "true", "True", "TRUE" -> true;
      case "false", "False", "FALSE" -> false;
      default -> throw error(fields.get(name), parent + "." + name, "'" + s + "' is not a valid boolean");
    };
  }

  private List<String> strings(Map<String, Node> fields, String parent, String name) throws ConfigException {
    Node n = fields.get(name);
    if (n == null || isNull(n)) {
      return null;
    }
    if (!(n instanceof SequenceNode seq)) {
      throw error(n, parent + "." + name, "expected a list");
    }
    List<String> out = new ArrayList<>();
    for (Node item : seq.getValue()) {
      out.add(scalar(item, parent + "." + name + "[" + out.size() + "]"));
    }
    return out;
  }

  private Map<String, String> stringMap(Node n, String field) throws ConfigException {
    if (n == null || isNull(n)) {
      return null;
    }
    if (!(n instanceof MappingNode m)) {
      throw error(n, field, "expected a mapping");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (NodeTuple tuple : m.getValue()) {
      String key = scalar(tuple.getKeyNode(), field);
      Node value = tuple.getValueNode();
      if (field.equals("basic_auth_users") && (isNull(value) || scalar(value, field + "." + key).isEmpty())) {
        throw error(value, field + "." + key, "no bcrypt hash for user \"" + key + "\"");
      }
      if (out.put(key, isNull(value) ? null : scalar(value, field + "." + key)) != null) {
        throw error(tuple.getKeyNode(), field, "duplicate key \"" + key + "\"");
      }
    }
    return out;
  }

  private String scalar(Node n, String field) throws ConfigException {
    if (!(n instanceof ScalarNode s)) {
      throw error(n, field, "expected a string");
    }
    return s.getValue();
  }

  private static boolean isNull(Node n) {
    return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

  private ConfigException error(Node at, String field, String problem) {
    int line = at == null || at.getStartMark() == null ? 0 : at.getStartMark().getLine() + 1;
    return new ConfigException(file, line, 0, field, problem, null);
  }
}
