package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.collect.NoDataException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * node_exporter's {@code rapl} collector: energy counters of the RAPL power zones (package, core,
 * dram...) in /sys/class/powercap, in joules.
 */
public final class RaplCollector implements Collector {
  private static final Pattern INVALID_NAME = Pattern.compile("_*[^0-9A-Za-z_]+_*");

  private record Zone(String name, int index, String path) {}

  private final HostPaths paths;
  private final boolean zoneLabel;

  public RaplCollector(HostPaths paths, boolean zoneLabel) {
    this.paths = paths;
    this.zoneLabel = zoneLabel;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Path base = paths.sys("class/powercap").normalize();
    List<Zone> zones = new ArrayList<>();
    Map<String, Integer> nameUsages = new HashMap<>();
    try {
      if (!java.nio.file.Files.isDirectory(base)) {
        throw new NoSuchFileException(base.toString());
      }
      for (Path dir : Sysfs.list(base)) {
        String name;
        try {
          name = HostPaths.read(dir.resolve("name")).strip();
        } catch (IOException e) {
          continue;
        }
        // "package-0": name package, index 0; otherwise numbered by how often the name was seen.
        int index = nameUsages.getOrDefault(name, 0);
        String[] parts = name.split("-", -1);
        if (parts.length == 2) {
          try {
            index = Integer.parseInt(parts[1]);
            name = parts[0];
          } catch (NumberFormatException e) {
            // keep the whole name
          }
        }
        Sysfs.readUnsigned(dir.resolve("max_energy_range_uj"));
        zones.add(new Zone(name, index, dir.toString()));
        nameUsages.put(name, index + 1);
      }
    } catch (NoSuchFileException | AccessDeniedException e) {
      throw new NoDataException("Platform doesn't have powercap files present: " + e.getMessage());
    }
    for (Zone z : zones) {
      double microJoules;
      try {
        microJoules = Sysfs.readUnsigned(Path.of(z.path(), "energy_uj"));
      } catch (AccessDeniedException e) {
        throw new NoDataException("Can't access energy_uj file of " + z.path());
      }
      double joules = microJoules / 1000000.0;
      if (zoneLabel) {
        sink.counter("node_rapl_joules_total", "Current RAPL value in joules", "index", "path", "rapl_zone")
            .add(joules, Integer.toString(z.index()), z.path(), z.name());
      } else {
        sink.counter("node_rapl_" + INVALID_NAME.matcher(z.name()).replaceAll("_") + "_joules_total",
            "Current RAPL " + z.name() + " value in joules", "index", "path").add(joules, Integer.toString(z.index()),
            z.path());
      }
    }
  }
}
