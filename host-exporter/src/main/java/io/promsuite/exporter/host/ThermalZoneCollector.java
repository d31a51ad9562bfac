package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * node_exporter's {@code thermal_zone} collector: zone temperatures and cooling device throttle
 * states from /sys/class/thermal.
 */
public final class ThermalZoneCollector implements Collector {
  private final HostPaths paths;

  public ThermalZoneCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Path base = paths.sys("class/thermal");
    List<String[]> zones = new ArrayList<>();
    for (Path zone : Sysfs.glob(base, "thermal_zone")) {
      String[] z = zone(zone);
      if (z != null) {
        zones.add(z);
      }
    }
    // Cooling devices are read in full before anything is written: one bad device fails the lot.
    List<String[]> devices = new ArrayList<>();
    for (Path cd : Sysfs.glob(base, "cooling_device")) {
      String type = Sysfs.attribute(cd.resolve("type"));
      long max = Sysfs.attributeLong(cd.resolve("max_state"));
      // cur_state can be -1 (intel_powerclamp).
      long cur = Sysfs.attributeLong(cd.resolve("cur_state"));
      devices.add(new String[] {Sysfs.name(cd).substring("cooling_device".length()), type, Long.toString(cur),
          Long.toString(max)});
    }
    MetricSink.Family temp = null;
    for (String[] z : zones) {
      if (temp == null) {
        temp = sink.gauge("node_thermal_zone_temp", "Zone temperature in Celsius", "zone", "type");
      }
      temp.add(Long.parseLong(z[2]) / 1000.0, z[0], z[1]);
    }
    for (String[] d : devices) {
      sink.gauge("node_cooling_device_cur_state", "Current throttle state of the cooling device", "name", "type")
          .add(Long.parseLong(d[2]), d[0], d[1]);
      sink.gauge("node_cooling_device_max_state", "Maximum throttle state of the cooling device", "name", "type")
          .add(Long.parseLong(d[3]), d[0], d[1]);
    }
  }

  /** {zone, type, millidegrees}; null for a zone whose sensor has no reading (ENODATA). */
  private static String[] zone(Path zone) throws IOException {
    try {
      String type = Sysfs.attribute(zone.resolve("type"));
      Sysfs.attribute(zone.resolve("policy"));
      long temp = Sysfs.readLong(zone.resolve("temp"));
      try {
        Sysfs.attribute(zone.resolve("mode"));
      } catch (NoSuchFileException | AccessDeniedException e) {
        // optional
      }
      try {
        Sysfs.readUnsigned(zone.resolve("passive"));
      } catch (NoSuchFileException | AccessDeniedException e) {
        // optional
      }
      return new String[] {Sysfs.name(zone).substring("thermal_zone".length()), type, Long.toString(temp)};
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("No data available")) {
        return null;
      }
      throw e;
    }
  }
}
