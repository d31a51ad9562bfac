package io.promsuite.exporter.container.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Parsers for the small text files of the cgroup filesystem; every error names the file. */
final class CgroupFiles {
  private CgroupFiles() {}

  /** A file holding one number ({@code max} means no limit: {@link Usage#UNKNOWN}). */
  static long readLong(Path file) throws IOException {
    String s = Files.readString(file).trim();
    if (s.equals("max")) {
      return Usage.UNKNOWN;
    }
    return parse(file, s);
  }

  /** As {@link #readLong} but {@link Usage#UNKNOWN} when the file does not exist (an optional controller). */
  static long readLongIfExists(Path file) throws IOException {
    try {
      return readLong(file);
    } catch (NoSuchFileException e) {
      return Usage.UNKNOWN;
    }
  }

  /** A flat-keyed file ({@code memory.stat}, {@code cpu.stat}, {@code cpuacct.stat}): "key value" lines. */
  static Map<String, Long> readKeyed(Path file) throws IOException {
    Map<String, Long> out = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      int sp = line.indexOf(' ');
      if (sp <= 0) {
        continue;
      }
      out.put(line.substring(0, sp), parse(file, line.substring(sp + 1).trim()));
    }
    return out;
  }

  /** As {@link #readKeyed} but empty when the file does not exist. */
  static Map<String, Long> readKeyedIfExists(Path file) throws IOException {
    try {
      return readKeyed(file);
    } catch (NoSuchFileException e) {
      return Map.of();
    }
  }

  /** Space-separated numbers on one line ({@code cpuacct.usage_percpu}). */
  static List<Long> readLongs(Path file) throws IOException {
    List<Long> out = new ArrayList<>();
    for (String f : Files.readString(file).trim().split("\\s+")) {
      if (!f.isEmpty()) {
        out.add(parse(file, f));
      }
    }
    return out;
  }

  static long get(Map<String, Long> map, String key) {
    return map.getOrDefault(key, Usage.UNKNOWN);
  }

  static long parse(Path file, String value) throws IOException {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      // Counters above Long.MAX_VALUE (unlimited v1 limits) are as good as unlimited.
      if (value.matches("\\d+")) {
        return Long.MAX_VALUE;
      }
      throw new IOException(file + ": expected a number, got '" + value + "'");
    }
  }
}
