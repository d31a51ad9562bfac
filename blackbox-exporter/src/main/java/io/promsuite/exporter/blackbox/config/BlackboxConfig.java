package io.promsuite.exporter.blackbox.config;

import io.promsuite.exporter.common.config.ConfigException;
import io.promsuite.exporter.common.config.YamlConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** A whole blackbox.yml: modules by name, loaded strictly and validated before any probe sees them. */
public record BlackboxConfig(Map<String, Module> modules) {
  public static final BlackboxConfig EMPTY = new BlackboxConfig(Map.of());

  public BlackboxConfig {
    modules = modules == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(modules));
    for (Map.Entry<String, Module> e : modules.entrySet()) {
      if (e.getValue() == null) {
        throw new IllegalArgumentException("module '" + e.getKey() + "' is empty; it needs at least a prober");
      }
    }
  }

  /**
   * Loads {@code file}; a file without modules (empty, comments only, {@code modules: {}}) is refused
   * like any invalid config, at start and on reload, so a truncated file never silently empties
   * the exporter (blackbox_exporter refuses an empty file too).
   */
  public static BlackboxConfig load(Path file) throws ConfigException {
    return requireModules(file, new YamlConfig().load(file, BlackboxConfig.class, EMPTY));
  }

  public static BlackboxConfig parse(Path file, String yaml) throws ConfigException {
    return requireModules(file, new YamlConfig().parse(file, yaml, BlackboxConfig.class, EMPTY));
  }

  private static BlackboxConfig requireModules(Path file, BlackboxConfig config) throws ConfigException {
    if (config.modules().isEmpty()) {
      throw new ConfigException(file, "no modules configured (expected 'modules:' with at least one module, "
          + "e.g. 'modules: {http_2xx: {prober: http}}')");
    }
    return config;
  }
}
