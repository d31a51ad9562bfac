package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.log.Logging;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * node_exporter's {@code btrfs} collector: label, global reserve, allocation per block group type
 * and layout from /sys/fs/btrfs, and per device size, unused bytes and error counters from the
 * btrfs ioctls on each mounted filesystem ({@link BtrfsIoctl}); where those cannot be made (not
 * mounted in this namespace, no permission) device sizes come from sysfs, as in node_exporter.
 */
public final class BtrfsCollector implements Collector {
  private static final String[] TYPES = {"data", "metadata", "system"};
  private static final String[] ERROR_TYPES = {"write", "read", "flush", "corruption", "generation"};
  private static final Logger LOG = Logger.getLogger(BtrfsCollector.class.getName());

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
    Map<String, BtrfsIoctl.Filesystem> ioctl = all.isEmpty() ? Map.of() : ioctlStats();
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
      // Go's exporter labels sysfs sizes without btrfs_dev_uuid; an empty label is the same series.
      MetricSink.Family size = sink.gauge("node_btrfs_device_size_bytes", "Size of a device that is part of the filesystem.",
          "uuid", "device", "btrfs_dev_uuid");
      BtrfsIoctl.Filesystem fs = ioctl.get(s.uuid().replace("-", ""));
      if (fs == null) {
        for (Map.Entry<String, Double> d : s.deviceSizes().entrySet()) {
          size.add(d.getValue(), s.uuid(), d.getKey(), "");
        }
        continue;
      }
      for (BtrfsIoctl.Device d : fs.devices()) {
        String device = d.path().substring(d.path().lastIndexOf('/') + 1);
        size.add(unsigned(d.totalBytes()), s.uuid(), device, d.uuid());
        sink.gauge("node_btrfs_device_unused_bytes", "Unused bytes unused on a device that is part of the filesystem.",
            "uuid", "device", "btrfs_dev_uuid").add(unsigned(d.totalBytes() - d.bytesUsed()), s.uuid(), device, d.uuid());
        MetricSink.Family errors = sink.counter("node_btrfs_device_errors_total", "Errors reported for the device",
            "uuid", "type", "device", "btrfs_dev_uuid");
        for (int i = 0; i < ERROR_TYPES.length; i++) {
          errors.add(unsigned(d.errors()[i]), s.uuid(), ERROR_TYPES[i], device, d.uuid());
        }
      }
    }
  }

  /**
   * Ioctl readings of each mounted btrfs filesystem, keyed by fsid without dashes; a mount that
   * cannot be opened or queried is left out (node_exporter logs that at debug level).
   */
  private Map<String, BtrfsIoctl.Filesystem> ioctlStats() {
    Map<String, BtrfsIoctl.Filesystem> out = new TreeMap<>();
    String mounts;
    try {
      try {
        mounts = HostPaths.read(paths.proc("1/mounts"));
      } catch (NoSuchFileException e) {
        mounts = HostPaths.read(paths.proc("mounts"));
      }
    } catch (IOException e) {
      return out;
    }
    Set<String> devicesDone = new HashSet<>();
    for (String line : Fields.lines(mounts)) {
      List<String> f = Fields.split(line);
      if (f.size() < 4) {
        return Map.of();
      }
      if (!f.get(2).equals("btrfs") || devicesDone.contains(f.get(0))) {
        continue;
      }
      BtrfsIoctl.Filesystem fs;
      try {
        fs = BtrfsIoctl.read(paths.root(FilesystemCollector.unescape(f.get(1))));
      } catch (IOException e) {
        Logging.log(LOG, Level.FINE, "Error querying btrfs filesystem", "mountPoint", f.get(1), "err", e.getMessage());
        continue;
      }
      if (!out.containsKey(fs.fsid())) {
        devicesDone.add(f.get(0));
        out.put(fs.fsid(), fs);
      }
    }
    return out;
  }

  private static double unsigned(long v) {
    return v < 0 ? v + 0x1p64 : v;
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
