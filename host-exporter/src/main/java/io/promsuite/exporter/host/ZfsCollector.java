package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * node_exporter's {@code zfs} collector: the ZFS kstats under /proc/spl/kstat/zfs (ARC, dbuf, ZIL,
 * prefetch... as untyped {@code node_zfs_*}), per-pool I/O, per-dataset counters and pool state.
 */
public final class ZfsCollector implements Collector {
  /** metric subsystem, kstat file. */
  private static final String[][] SUBSYSTEMS = {{"zfs_abd", "abdstats"}, {"zfs_arc", "arcstats"},
      {"zfs_dbuf", "dbuf_stats"}, {"zfs_dmu_tx", "dmu_tx"}, {"zfs_dnode", "dnodestats"}, {"zfs_fm", "fm"},
      {"zfs_vdev_cache", "vdev_cache_stats"}, {"zfs_vdev_mirror", "vdev_mirror_stats"}, {"zfs_xuio", "xuio_stats"},
      {"zfs_zfetch", "zfetchstats"}, {"zfs_zil", "zil"}};
  private static final String[] POOL_STATES = {"online", "degraded", "faulted", "offline", "removed", "unavail"};
  private static final String UINT64 = "4";

  private final HostPaths paths;

  public ZfsCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Path base = paths.proc("spl/kstat/zfs");
    HostPaths.requireExisting(base, "ZFS / ZFS statistics are not available: " + base);
    for (String[] s : SUBSYSTEMS) {
      Path file = base.resolve(s[1]);
      String text;
      try {
        text = HostPaths.read(file);
      } catch (IOException e) {
        continue;
      }
      kstats(file, text, (key, name, value) -> sink.untyped("node_" + s[0] + "_" + name, key).add(value),
          "kstat.zfs.misc." + s[1] + ".");
    }
    List<Path> pools = Sysfs.list(base).stream().filter(Files::isDirectory).toList();
    for (Path pool : pools) {
      Path io = pool.resolve("io");
      if (Files.exists(io)) {
        poolIo(sink, Sysfs.name(pool), io);
      }
    }
    for (Path pool : pools) {
      for (Path objset : Sysfs.list(pool)) {
        if (Sysfs.name(objset).startsWith("objset-")) {
          objset(sink, Sysfs.name(pool), objset);
        }
      }
    }
    for (Path pool : pools) {
      Path state = pool.resolve("state");
      if (Files.exists(state)) {
        String first = Fields.lines(read(state)).stream().findFirst().orElse("").toLowerCase(Locale.ROOT);
        for (String s : POOL_STATES) {
          sink.gauge("node_zfs_zpool_state", "kstat.zfs.misc.state", "zpool", "state")
              .add(first.equals(s) ? 1 : 0, Sysfs.name(pool), s);
        }
      }
    }
  }

  private interface KstatHandler {
    void handle(String key, String name, double value);
  }

  /** Lines after the "name type data" header; only type 4 (uint64) values count. */
  private static void kstats(Path file, String text, KstatHandler handler, String keyPrefix) throws IOException {
    boolean started = false;
    for (String line : Fields.lines(text)) {
      List<String> parts = Fields.split(line);
      if (!started && parts.size() == 3 && parts.get(0).equals("name") && parts.get(1).equals("type")
          && parts.get(2).equals("data")) {
        started = true;
        continue;
      }
      if (!started || parts.size() < 3 || !parts.get(1).equals(UINT64)) {
        continue;
      }
      String key = keyPrefix + parts.get(0);
      handler.handle(key, metricName(key), number(file, key, parts.get(2)));
    }
    if (!started) {
      throw new IOException(file + ": no \"name type data\" header, not a kstat file");
    }
  }

  /** Pool I/O: a header line starting with nread, then rows of as many values. */
  private static void poolIo(MetricSink sink, String pool, Path file) throws IOException {
    List<String> header = null;
    for (String line : Fields.lines(read(file))) {
      List<String> parts = Fields.split(line);
      if (header == null) {
        if (parts.size() >= 12 && parts.get(0).equals("nread")) {
          header = parts;
        }
        continue;
      }
      if (parts.size() < header.size()) {
        throw new IOException(file + ": row has " + parts.size() + " values, " + header.size() + " expected");
      }
      for (int i = 0; i < header.size(); i++) {
        String key = "kstat.zfs.misc.io." + header.get(i);
        sink.untyped("node_zfs_zpool_" + metricName(key), key, "zpool").add(number(file, key, parts.get(i)), pool);
      }
    }
  }

  /** A dataset's counters, labelled with the dataset_name line that precedes them. */
  private static void objset(MetricSink sink, String pool, Path file) throws IOException {
    String[] labels = {"", ""};
    boolean started = false;
    for (String line : Fields.lines(read(file))) {
      List<String> parts = Fields.split(line);
      if (!started && parts.size() == 3 && parts.get(0).equals("name") && parts.get(1).equals("type")
          && parts.get(2).equals("data")) {
        started = true;
        continue;
      }
      if (!started || parts.size() < 3) {
        continue;
      }
      if (parts.get(0).equals("dataset_name")) {
        labels = new String[] {pool, parts.get(2)};
        continue;
      }
      if (parts.get(1).equals(UINT64)) {
        String key = "kstat.zfs.misc.objset." + parts.get(0);
        sink.untyped("node_zfs_zpool_dataset_" + metricName(key), key, "zpool", "dataset")
            .add(number(file, key, parts.get(2)), labels);
      }
    }
    if (!started) {
      throw new IOException(file + ": no \"name type data\" header, not a kstat file");
    }
  }

  private static String read(Path file) throws IOException {
    try {
      return HostPaths.read(file);
    } catch (NoSuchFileException e) {
      throw new IOException("cannot open " + file + " for reading");
    }
  }

  /** The last dotted part of the kstat key, '-' made '_'. */
  private static String metricName(String key) {
    return key.substring(key.lastIndexOf('.') + 1).replace('-', '_');
  }

  private static double number(Path file, String key, String text) throws IOException {
    Double v = GoNumbers.parseUint10(text);
    if (v == null) {
      throw new IOException(file + ": could not parse expected integer value for " + key + ": '" + text + "'");
    }
    return v;
  }
}
