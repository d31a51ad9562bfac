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
  /** Field separator of the cgroup and /proc tables, compiled once (String.split compiles it per call). */
  static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");

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

  /** The file's lines, or null when it does not exist (a process that exited, an absent controller file). */
  static List<String> readLinesIfExists(Path file) throws IOException {
    try {
      return Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Space-separated numbers on one line ({@code cpuacct.usage_percpu}). */
  static List<Long> readLongs(Path file) throws IOException {
    List<Long> out = new ArrayList<>();
    for (String f : SPACES.split(Files.readString(file).trim())) {
      if (!f.isEmpty()) {
        out.add(parse(file, f));
      }
    }
    return out;
  }

  /**
   * A v1 blkio table ("8:0 Read 4096" lines, or "8:0 4096" without an operation, which cAdvisor
   * files under "Count"; the "Total N" line is skipped), grouped by device in file order. Null when
   * the file does not exist, empty when it has no device line.
   */
  static List<Usage.DeviceOps> readBlkio(Path file, java.util.function.UnaryOperator<String> deviceName)
      throws IOException {
    List<String> lines = readLinesIfExists(file);
    if (lines == null) {
      return null;
    }
    Map<String, long[]> byDevice = new java.util.LinkedHashMap<>();
    for (String line : lines) {
      String[] f = SPACES.split(line.trim());
      if (f.length < 2 || f[0].equals("Total") || f[0].isEmpty()) {
        continue;
      }
      if (f.length > 3 || f[0].indexOf(':') < 0) {
        throw new IOException(file + ": expected 'major:minor [operation] value', got '" + line.trim() + "'");
      }
      int op = Usage.DeviceOps.OPS.indexOf(f.length == 3 ? f[1] : "Count");
      long value = parse(file, f[f.length - 1]);
      if (op >= 0) {
        byDevice.computeIfAbsent(f[0], k -> unknowns())[op] = value;
      }
    }
    return deviceOps(byDevice, deviceName);
  }

  /** A value per operation of {@link Usage.DeviceOps#OPS}, all {@link Usage#UNKNOWN}. */
  static long[] unknowns() {
    long[] v = new long[Usage.DeviceOps.OPS.size()];
    java.util.Arrays.fill(v, Usage.UNKNOWN);
    return v;
  }

  /** Device tables keyed by "major:minor", in the form the collector writes. */
  static List<Usage.DeviceOps> deviceOps(Map<String, long[]> byDevice,
      java.util.function.UnaryOperator<String> deviceName) {
    List<Usage.DeviceOps> out = new ArrayList<>(byDevice.size());
    byDevice.forEach((mm, ops) -> {
      int colon = mm.indexOf(':');
      out.add(new Usage.DeviceOps(deviceName.apply(mm), Long.parseLong(mm.substring(0, colon)),
          Long.parseLong(mm.substring(colon + 1)), ops));
    });
    return out;
  }

  /**
   * The hugetlb controller's files of a cgroup, by page size as their names give it (2MB, 1GB):
   * v1 {@code hugetlb.<size>.usage_in_bytes}, {@code .max_usage_in_bytes}, {@code .failcnt}; v2
   * {@code hugetlb.<size>.current} and {@code .events max} (v2 keeps no maximum). Empty without the
   * controller.
   */
  static Map<String, long[]> readHugetlb(Path dir, boolean v2) throws IOException {
    String usage = v2 ? ".current" : ".usage_in_bytes";
    Map<String, long[]> out = new java.util.TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (!name.startsWith("hugetlb.") || !name.endsWith(usage) || name.endsWith(".rsvd" + usage)) {
          continue;
        }
        String size = name.substring("hugetlb.".length(), name.length() - usage.length());
        String prefix = "hugetlb." + size;
        long failcnt = v2 ? get(readKeyedIfExists(dir.resolve(prefix + ".events")), "max")
            : readLongIfExists(dir.resolve(prefix + ".failcnt"));
        out.put(size, new long[] {readLong(f), v2 ? Usage.UNKNOWN : readLongIfExists(dir.resolve(prefix + ".max_usage_in_bytes")),
            failcnt});
      }
    }
    return out;
  }

  /** cAdvisor's spec memory value: anything above 2^62 (the kernel's "unlimited", rounded) is 0. */
  static long specMemory(long v) {
    return v < 0 || v > (1L << 62) ? 0 : v;
  }

  /**
   * A PSI file ({@code cpu.pressure}...): "some avg10=.. total=N" and "full ... total=N" lines;
   * returns {some, full} totals in microseconds, {@link Usage#UNKNOWN} where missing.
   */
  static long[] readPressure(Path file) throws IOException {
    long[] out = {Usage.UNKNOWN, Usage.UNKNOWN};
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      return out;
    }
    for (String line : lines) {
      String[] f = SPACES.split(line.trim());
      int which = f[0].equals("some") ? 0 : f[0].equals("full") ? 1 : -1;
      for (int i = 1; which >= 0 && i < f.length; i++) {
        if (f[i].startsWith("total=")) {
          out[which] = parse(file, f[i].substring("total=".length()));
        }
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
