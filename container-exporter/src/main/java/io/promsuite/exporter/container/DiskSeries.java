package io.promsuite.exporter.container;

import io.promsuite.exporter.common.collect.MetricSink.Family;
import io.promsuite.exporter.container.source.HostFiles;
import io.promsuite.exporter.container.source.Usage;
import java.util.List;
import java.util.Map;

/** The disk and diskIO families of one container (cAdvisor's blkio tables plus the layers' filesystem). */
final class DiskSeries {
  private static final double NANOS = 1e9;
  private static final double MILLIS = 1e3;

  private DiskSeries() {}

  /**
   * The disk and diskIO families, as cAdvisor assembles them: one series per device of the
   * cgroup's blkio tables, then (for containers with a writable-layer reading) one for the
   * filesystem holding the layers, with that whole device's /proc/diskstats counters.
   */
  static void write(Families f, Usage u, ContainerCollector.FsDevice fs, ContainerCatalog.Layer layer, String[] l) {
    Map<Usage.Blkio, List<Usage.DeviceOps>> b = u.blkio();
    HostFiles.DiskStats d = fs == null ? null : fs.diskStats();
    String[] fl = fs == null ? null : with(l, fs.device());
    ops(f.fsReadBytes, b.get(Usage.Blkio.SERVICE_BYTES), "Read", 1, l);
    ops(f.fsReads, b.get(Usage.Blkio.SERVICED), "Read", 1, l);
    ops(f.fsSectorReads, b.get(Usage.Blkio.SECTORS), "Read", 1, l);
    ops(f.fsReadsMerged, b.get(Usage.Blkio.MERGED), "Read", 1, l);
    ops(f.fsReadSeconds, b.get(Usage.Blkio.SERVICE_TIME), "Read", NANOS, l);
    ops(f.fsWriteBytes, b.get(Usage.Blkio.SERVICE_BYTES), "Write", 1, l);
    ops(f.fsWrites, b.get(Usage.Blkio.SERVICED), "Write", 1, l);
    ops(f.fsSectorWrites, b.get(Usage.Blkio.SECTORS), "Write", 1, l);
    ops(f.fsWritesMerged, b.get(Usage.Blkio.MERGED), "Write", 1, l);
    ops(f.fsWriteSeconds, b.get(Usage.Blkio.SERVICE_TIME), "Write", NANOS, l);
    ops(f.fsIoCurrent, b.get(Usage.Blkio.QUEUED), "Total", 1, l);
    ops(f.fsIoTime, b.get(Usage.Blkio.SERVICE_TIME), "Total", NANOS, l);
    List<Usage.DeviceOps> bytes = b.get(Usage.Blkio.SERVICE_BYTES);
    if (bytes != null) {
      for (Usage.DeviceOps dev : bytes) {
        String[] dl = with(with(with(with(l, dev.device()), Long.toString(dev.major())), Long.toString(dev.minor())), "");
        long[] values = dev.values();
        for (int i = 0; i < values.length; i++) {
          if (values[i] >= 0) {
            dl = dl.clone();
            dl[dl.length - 1] = Usage.DeviceOps.OPS.get(i);
            f.blkioDevice.add(values[i], dl);
          }
        }
      }
    }
    if (d != null && f.has("diskIO")) {
      // A device both in the cgroup's tables and holding the layers keeps the cgroup's own count (a
      // second series with the same labels would be a duplicate; cAdvisor's registry drops the later one).
      String dev = fs.device();
      device(f.fsReads, b.get(Usage.Blkio.SERVICED), dev, d.reads(), fl);
      device(f.fsSectorReads, b.get(Usage.Blkio.SECTORS), dev, d.sectorsRead(), fl);
      device(f.fsReadsMerged, b.get(Usage.Blkio.MERGED), dev, d.readsMerged(), fl);
      device(f.fsReadSeconds, b.get(Usage.Blkio.SERVICE_TIME), dev, d.readMillis() / MILLIS, fl);
      device(f.fsWrites, b.get(Usage.Blkio.SERVICED), dev, d.writes(), fl);
      device(f.fsSectorWrites, b.get(Usage.Blkio.SECTORS), dev, d.sectorsWritten(), fl);
      device(f.fsWritesMerged, b.get(Usage.Blkio.MERGED), dev, d.writesMerged(), fl);
      device(f.fsWriteSeconds, b.get(Usage.Blkio.SERVICE_TIME), dev, d.writeMillis() / MILLIS, fl);
      device(f.fsIoCurrent, b.get(Usage.Blkio.QUEUED), dev, d.ioInProgress(), fl);
      device(f.fsIoTime, b.get(Usage.Blkio.SERVICE_TIME), dev, d.ioMillis() / MILLIS, fl);
      f.fsIoTimeWeighted.add(d.weightedIoMillis() / MILLIS, fl);
    }
    if (layer != null && fs != null) {
      // As cAdvisor's Docker handler fills it: inodes_total is the inodes the layer uses, and
      // inodes_free is never set (0).
      f.fsInodesFree.add(0, fl);
      value(f.fsInodes, layer.inodes(), fl);
      value(f.fsLimit, fs.capacityBytes(), fl);
      f.fsUsage.add(layer.bytes(), fl);
    }
  }

  private static void ops(Family family, List<Usage.DeviceOps> table, String op, double divisor, String[] labels) {
    if (table == null) {
      return;
    }
    for (Usage.DeviceOps dev : table) {
      family.add(dev.op(op) / divisor, with(labels, dev.device()));
    }
  }

  /** The filesystem's whole-device value, unless the cgroup's table already has a series for that device. */
  private static void device(Family family, List<Usage.DeviceOps> table, String device, double value, String[] labels) {
    if (table != null) {
      for (Usage.DeviceOps dev : table) {
        if (dev.device().equals(device)) {
          return;
        }
      }
    }
    family.add(value, labels);
  }

  private static void value(Family family, long v, String[] labels) {
    if (v >= 0) {
      family.add(v, labels);
    }
  }

  private static String[] with(String[] labels, String extra) {
    return Families.plus(labels, extra);
  }
}
