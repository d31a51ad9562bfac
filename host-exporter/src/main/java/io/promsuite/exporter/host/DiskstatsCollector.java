package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code node_disk_*{device}} from /proc/diskstats (OSHI's disk stores carry 5 of the 17 fields),
 * sectors of 512 bytes and milliseconds converted as node_exporter does, plus {@code node_disk_info}
 * from udev's database where it exists.
 */
public final class DiskstatsCollector implements Collector {
  public static final String DEFAULT_DEVICE_EXCLUDE = "^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$";
  private static final double SECTOR = 512;

  private record Field(String name, String help, boolean counter, double scale) {}

  // In /proc/diskstats column order after major, minor, device.
  private static final Field[] FIELDS = {
      new Field("node_disk_reads_completed_total", "The total number of reads completed successfully.", true, 1),
      new Field("node_disk_reads_merged_total", "The total number of reads merged.", true, 1),
      new Field("node_disk_read_bytes_total", "The total number of bytes read successfully.", true, SECTOR),
      new Field("node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.", true, 0.001),
      new Field("node_disk_writes_completed_total", "The total number of writes completed successfully.", true, 1),
      new Field("node_disk_writes_merged_total", "The number of writes merged.", true, 1),
      new Field("node_disk_written_bytes_total", "The total number of bytes written successfully.", true, SECTOR),
      new Field("node_disk_write_time_seconds_total", "This is the total number of seconds spent by all writes.",
          true, 0.001),
      new Field("node_disk_io_now", "The number of I/Os currently in progress.", false, 1),
      new Field("node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", true, 0.001),
      new Field("node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os.", true,
          0.001),
      new Field("node_disk_discards_completed_total", "The total number of discards completed successfully.", true,
          1),
      new Field("node_disk_discards_merged_total", "The total number of discards merged.", true, 1),
      new Field("node_disk_discarded_sectors_total", "The total number of sectors discarded successfully.", true, 1),
      new Field("node_disk_discard_time_seconds_total", "This is the total number of seconds spent by all discards.",
          true, 0.001),
      new Field("node_disk_flush_requests_total", "The total number of flush requests completed successfully", true,
          1),
      new Field("node_disk_flush_requests_time_seconds_total",
          "This is the total number of seconds spent by all flush requests.", true, 0.001),
  };

  private final HostPaths paths;
  private final DeviceFilter devices;

  /** @param include when non-null, only matching devices (node_exporter's device-include) */
  private final Path udevData;

  /** udev's database under the root file system (fixture trees). */
  public DiskstatsCollector(HostPaths paths, Pattern exclude, Pattern include) {
    this(paths, exclude, include, paths.root("/run/udev/data"));
  }

  /** @param udevData --path.udev.data, node_exporter's, not under --path.rootfs */
  public DiskstatsCollector(HostPaths paths, Pattern exclude, Pattern include, Path udevData) {
    this.paths = paths;
    this.devices = new DeviceFilter(exclude, include);
    this.udevData = udevData;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    MetricSink.Family[] families = new MetricSink.Family[FIELDS.length];
    for (int i = 0; i < FIELDS.length; i++) {
      Field f = FIELDS[i];
      families[i] = f.counter() ? sink.counter(f.name(), f.help(), "device") : sink.gauge(f.name(), f.help(), "device");
    }
    MetricSink.Family info = sink.gauge("node_disk_info", "Info of /sys/block/<block_device>.",
        "device", "major", "minor", "model", "path", "revision", "serial", "wwn");
    for (String line : Fields.lines(HostPaths.read(paths.proc("diskstats")))) {
      List<String> f = Fields.split(line);
      if (f.size() < 14) {
        continue;
      }
      String device = f.get(2);
      if (devices.ignored(device)) {
        continue;
      }
      Map<String, String> udev = udev(f.get(0), f.get(1));
      info.add(1, device, f.get(0), f.get(1), udev.getOrDefault("ID_MODEL", ""), udev.getOrDefault("ID_PATH", ""),
          udev.getOrDefault("ID_REVISION", ""), udev.getOrDefault("ID_SERIAL_SHORT", ""),
          udev.getOrDefault("ID_WWN", ""));
      udevFamilies(sink, device, udev);
      // Older kernels have 11 fields, 4.18+ adds discards (15), 5.5+ flushes (17).
      for (int i = 0; i < FIELDS.length && i + 3 < f.size(); i++) {
        families[i].add(Double.parseDouble(f.get(i + 3)) * FIELDS[i].scale(), device);
      }
    }
  }

  /** What node_exporter adds from udev's properties: file system, device mapper and ATA figures. */
  private static void udevFamilies(MetricSink sink, String device, Map<String, String> udev) {
    String fsType = udev.getOrDefault("ID_FS_TYPE", "");
    if (!fsType.isEmpty()) {
      sink.gauge("node_disk_filesystem_info", "Info about disk filesystem.", "device", "type", "usage", "uuid", "version")
          .add(1, device, fsType, udev.getOrDefault("ID_FS_USAGE", ""), udev.getOrDefault("ID_FS_UUID", ""),
              udev.getOrDefault("ID_FS_VERSION", ""));
    }
    String dmName = udev.getOrDefault("DM_NAME", "");
    if (!dmName.isEmpty()) {
      sink.gauge("node_disk_device_mapper_info", "Info about disk device mapper.", "device", "name", "uuid", "vg_name",
          "lv_name", "lv_layer").add(1, device, dmName, udev.getOrDefault("DM_UUID", ""),
          udev.getOrDefault("DM_VG_NAME", ""), udev.getOrDefault("DM_LV_NAME", ""), udev.getOrDefault("DM_LV_LAYER", ""));
    }
    if (!udev.getOrDefault("ID_ATA", "").isEmpty()) {
      for (String[] a : ATA) {
        String v = udev.get(a[0]);
        if (v == null) {
          continue;
        }
        try {
          sink.gauge(a[1], a[2], "device").add(TextParser.parseFloat(v), device);
        } catch (NumberFormatException e) {
          // node_exporter logs and skips an attribute that is not a number.
        }
      }
    }
  }

  private static final String[][] ATA = {
      {"ID_ATA_WRITE_CACHE", "node_disk_ata_write_cache", "ATA disk has a write cache."},
      {"ID_ATA_WRITE_CACHE_ENABLED", "node_disk_ata_write_cache_enabled", "ATA disk has its write cache enabled."},
      {"ID_ATA_ROTATION_RATE_RPM", "node_disk_ata_rotation_rate_rpm", "ATA disk rotation rate in RPMs (0 for SSDs)."}};

  private Map<String, String> udev(String major, String minor) {
    Map<String, String> out = new HashMap<>();
    Path data = udevData.resolve("b" + major + ":" + minor);
    if (!Files.isReadable(data)) {
      return out;
    }
    try {
      for (String line : Fields.lines(HostPaths.read(data))) {
        if (line.startsWith("E:")) {
          int eq = line.indexOf('=');
          if (eq >= 0) {
            out.put(line.substring(2, eq), line.substring(eq + 1));
          }
        }
      }
    } catch (IOException e) {
      // udev data is optional; node_exporter reports empty labels then too.
    }
    return out;
  }
}
