package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code node_os_info} and {@code node_os_version} from os-release, as node_exporter's os collector. */
public final class OsCollector implements Collector {
  private static final String[] INFO_LABELS = {"build_id", "id", "id_like", "image_id", "image_version", "name",
      "pretty_name", "variant", "variant_id", "version", "version_codename", "version_id"};
  private final HostPaths paths;

  public OsCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Map<String, String> release = read();
    String[] values = new String[INFO_LABELS.length];
    for (int i = 0; i < INFO_LABELS.length; i++) {
      values[i] = release.getOrDefault(INFO_LABELS[i].toUpperCase(), "");
    }
    sink.gauge("node_os_info", "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, "
        + "image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.",
        INFO_LABELS).add(1, values);
    sink.gauge("node_os_version", "Metric containing the major.minor part of the OS version.", "id", "id_like", "name")
        .add(majorMinor(release.getOrDefault("VERSION_ID", "")), release.getOrDefault("ID", ""),
            release.getOrDefault("ID_LIKE", ""), release.getOrDefault("NAME", ""));
  }

  /** "12" -> 12, "22.04.3" -> 22.04, unparsable -> 0 (node_exporter's behaviour). */
  static double majorMinor(String versionId) {
    String[] parts = versionId.split("\\.");
    try {
      return Double.parseDouble(parts.length >= 2 ? parts[0] + "." + parts[1] : parts[0]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private Map<String, String> read() throws IOException {
    Path file = paths.root("/etc/os-release");
    if (!Files.isReadable(file)) {
      file = paths.root("/usr/lib/os-release");
    }
    Map<String, String> out = new HashMap<>();
    for (String line : Fields.lines(HostPaths.read(file))) {
      int eq = line.indexOf('=');
      if (eq <= 0 || line.startsWith("#")) {
        continue;
      }
      String v = line.substring(eq + 1).trim();
      if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
        v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\$", "$").replace("\\\\", "\\");
      }
      out.put(line.substring(0, eq).trim(), v);
    }
    return out;
  }
}
