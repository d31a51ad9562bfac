package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * node_exporter's {@code btrfs} collector: label, global reserve, allocation per block group type
 * and layout, and device sizes of every filesystem in /sys/fs/btrfs. The per-device error counters
 * node_exporter gets through the BTRFS_IOC_GET_DEV_STATS ioctl on mounted filesystems are not read:
 * device sizes come from sysfs, as node_exporter reports them when that ioctl is not available.
 */
public final class BtrfsCollector implements Collector {
  private static final String[] TYPES = {"data", "metadata", "system"};

  private final HostPaths paths;

  public BtrfsCollector(HostPaths paths) {
    this.paths = paths;
  }

  /** One allocation type: reserved bytes and {used, total, ratio} per layout directory. */
  private record Allocation(double reserved, Map<String, double[]> layouts) {}

  private record Stats(String uuid, String label, double globalRsvSize, Allocation[] allocations,
      Map<String, Double> deviceSizes) {}

  @Override
  public void collect(MetricSink sink) throws Exception {
    List<Stats> all = new ArrayList<>();
    for (Path p : Sysfs.list(paths.sys("fs/btrfs"))) {
      if (Sysfs.name(p).contains("-")) {
        all.add(read(p));
      }
    }
    for (Stats s : all) {
      sink.gauge("node_btrfs_info", "Filesystem information", "uuid", "label").add(1, s.uuid(), s.label());
      sink.gauge("node_btrfs_global_rsv_size_bytes", "Size of global reserve.", "uuid").add(s.globalRsvSize(), s.uuid());
      for (int t = 0; t < TYPES.length; t++) {
        Allocation a = s.allocations()[t];
        sink.gauge("node_btrfs_reserved_bytes", "Amount of space reserved for a data type", "uuid", "block_group_type")
            .add(a.reserved(), s.uuid(), TYPES[t]);
        for (Map.Entry<String, double[]> l : a.layouts().entrySet()) {
          String[] labels = {s.uuid(), TYPES[t], l.getKey()};
          sink.gauge("node_btrfs_used_bytes", "Amount of used space by a layout/data type", "uuid", "block_group_type",
              "mode").add(l.getValue()[0], labels);
          sink.gauge("node_btrfs_size_bytes", "Amount of space allocated for a layout/data type", "uuid",
              "block_group_type", "mode").add(l.getValue()[1], labels);
          sink.gauge("node_btrfs_allocation_ratio", "Data allocation ratio for a layout/data type", "uuid",
              "block_group_type", "mode").add(l.getValue()[2], labels);
        }
      }
      for (Map.Entry<String, Double> d : s.deviceSizes().entrySet()) {
        sink.gauge("node_btrfs_device_size_bytes", "Size of a device that is part of the filesystem.", "uuid", "device")
            .add(d.getValue(), s.uuid(), d.getKey());
      }
    }
  }

  private static Stats read(Path dir) throws IOException {
    Reader r = new Reader(dir, 0);
    Map<String, Double> devices = new TreeMap<>();
    for (String n : r.listFiles("devices")) {
      devices.put(n, 512 * r.readValue("devices/" + n + "/size"));
    }
    r.devCount = devices.size();
    String label = r.readFile("label");
    String uuid = r.readFile("metadata_uuid");
    r.listFiles("features");
    for (String f : new String[] {"clone_alignment", "nodesize", "quota_override", "sectorsize",
        "allocation/global_rsv_reserved"}) {
      r.readValue(f);
    }
    double globalRsvSize = r.readValue("allocation/global_rsv_size");
    Allocation[] allocations = new Allocation[TYPES.length];
    for (int t = 0; t < TYPES.length; t++) {
      allocations[t] = r.readAllocation("allocation/" + TYPES[t]);
    }
    if (r.err != null) {
      throw r.err;
    }
    return new Stats(uuid.isEmpty() ? Sysfs.name(dir) : uuid, label, globalRsvSize, allocations, devices);
  }

  /**
   * node_exporter's reader keeps the first error and reads values as 0 after it, and each
   * allocation directory's reader hands its own error (or none) back: mirrored so a partly
   * readable filesystem gives the same figures.
   */
  private static final class Reader {
    final Path path;
    IOException err;
    int devCount;

    Reader(Path path, int devCount) {
      this.path = path;
      this.devCount = devCount;
    }

    String readFile(String name) {
      try {
        return Sysfs.attribute(path.resolve(name));
      } catch (NoSuchFileException e) {
        return "";
      } catch (IOException e) {
        err = e;
        return "";
      }
    }

    double readValue(String name) {
      String s = readFile(name);
      if (err != null) {
        return 0;
      }
      Double v = GoNumbers.parseUint10(s);
      return v == null ? 0 : v;
    }

    List<String> listFiles(String name) {
      Path p = path.resolve(name);
      if (!Files.isDirectory(p)) {
        err = new NoSuchFileException(p.toString());
        return List.of();
      }
      try {
        return Sysfs.list(p).stream().map(Sysfs::name).toList();
      } catch (IOException e) {
        err = e;
        return List.of();
      }
    }

    Allocation readAllocation(String name) {
      Reader sr = new Reader(path.resolve(name), devCount);
      for (String f : new String[] {"bytes_may_use", "bytes_pinned", "bytes_readonly"}) {
        sr.readValue(f);
      }
      double reserved = sr.readValue("bytes_reserved");
      for (String f : new String[] {"bytes_used", "disk_used", "disk_total", "flags", "total_bytes",
          "total_bytes_pinned"}) {
        sr.readValue(f);
      }
      Map<String, double[]> layouts = new TreeMap<>();
      if (!Files.isDirectory(sr.path)) {
        sr.err = new NoSuchFileException(sr.path.toString());
      } else {
        try {
          for (Path l : Sysfs.list(sr.path)) {
            if (Files.isDirectory(l, LinkOption.NOFOLLOW_LINKS)) {
              String mode = Sysfs.name(l);
              double total = sr.readValue(mode + "/total_bytes");
              double used = sr.readValue(mode + "/used_bytes");
              layouts.put(mode, new double[] {used, total, ratio(mode, sr.devCount)});
            }
          }
        } catch (IOException e) {
          sr.err = e;
        }
      }
      err = sr.err;
      return new Allocation(reserved, layouts);
    }

    private static double ratio(String mode, int devices) {
      return switch (mode) {
        case "single", "raid0" -> 1;
        case "dup", "raid1", "raid10" -> 2;
        case "raid5" -> devices / ((double) devices - 1);
        case "raid6" -> devices / ((double) devices - 2);
        default -> 0;
      };
    }
  }
}
