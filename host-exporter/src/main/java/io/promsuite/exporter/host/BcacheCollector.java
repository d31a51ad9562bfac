package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * node_exporter's {@code bcache} collector: cache set, backing device and cache device statistics
 * from /sys/fs/bcache/&lt;uuid&gt;, with bcache's human-readable sizes ("1.5M") converted as
 * node_exporter's procfs library converts them.
 */
public final class BcacheCollector implements Collector {
  private static final String[][] SET = {
      {"", "average_key_size", "average_key_size_sectors", "Average data per key in the btree (sectors)."},
      {"", "btree_cache_size", "btree_cache_size_bytes", "Amount of memory currently used by the btree cache."},
      {"", "cache_available_percent", "cache_available_percent",
          "Percentage of cache device without dirty data, usable for writeback (may contain clean cached data)."},
      {"", "congested", "congested", "Congestion."},
      {"", "root_usage_percent", "root_usage_percent",
          "Percentage of the root btree node in use (tree depth increases if too high)."},
      {"", "tree_depth", "tree_depth", "Depth of the btree."},
      {"internal", "active_journal_entries", "active_journal_entries",
          "Number of journal entries that are newer than the index."},
      {"internal", "btree_nodes", "btree_nodes", "Total nodes in the btree."},
      {"internal", "btree_read_average_duration_us", "btree_read_average_duration_seconds",
          "Average btree read duration."},
      {"internal", "cache_read_races", "cache_read_races_total", "Counts instances where while data was being read"
          + " from the cache, the bucket was reused and invalidated - i.e. where the pointer was stale after the read"
          + " completed."}};
  private static final String[] PERIOD_FILES = {"bypassed", "cache_bypass_hits", "cache_bypass_misses", "cache_hits",
      "cache_miss_collisions", "cache_misses", "cache_readaheads"};
  /** Period statistics in node_exporter's order: file, metric suffix, help. */
  private static final String[][] PERIOD = {
      {"bypassed", "bypassed_bytes_total", "Amount of IO (both reads and writes) that has bypassed the cache."},
      {"cache_hits", "cache_hits_total", "Hits counted per individual IO as bcache sees them."},
      {"cache_misses", "cache_misses_total", "Misses counted per individual IO as bcache sees them."},
      {"cache_bypass_hits", "cache_bypass_hits_total", "Hits for IO intended to skip the cache."},
      {"cache_bypass_misses", "cache_bypass_misses_total", "Misses for IO intended to skip the cache."},
      {"cache_miss_collisions", "cache_miss_collisions_total",
          "Instances where data insertion from cache miss raced with write (data already present)."},
      {"cache_readaheads", "cache_readaheads_total", "Count of times readahead occurred."}};

  private final HostPaths paths;
  private final boolean priorityStats;

  public BcacheCollector(HostPaths paths, boolean priorityStats) {
    this.paths = paths;
    this.priorityStats = priorityStats;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    // Any unreadable value fails the scrape; the framework drops what was written before it.
    for (Path set : Sysfs.list(paths.sys("fs/bcache"))) {
      if (Sysfs.name(set).contains("-")) {
        read(set, sink);
      }
    }
  }

  private static void add(MetricSink sink, boolean counter, String name, String help, String[] labelNames, double value,
      String... labelValues) {
    (counter ? sink.counter(name, help, labelNames) : sink.gauge(name, help, labelNames)).add(value, labelValues);
  }

  private void read(Path set, MetricSink out) throws IOException {
    String uuid = Sysfs.name(set);
    for (String[] m : SET) {
      double v = value(set.resolve(m[0]).resolve(m[1]));
      boolean counter = m[2].endsWith("_total");
      add(out, counter, "node_bcache_" + m[2], m[3], new String[] {"uuid"},
          m[1].equals("btree_read_average_duration_us") ? v * 1e-9 : v, uuid);
    }
    for (String[] m : PERIOD) {
      value(set.resolve("stats_five_minute").resolve(m[0]));
      value(set.resolve("stats_total").resolve(m[0]));
    }
    for (Path bdev : Sysfs.glob(set, "bdev")) {
      String name = Sysfs.name(bdev);
      String[] labels = {"uuid", "backing_device"};
      double dirty = value(bdev.resolve("dirty_data"));
      long[] wrd = writebackRateDebug(bdev.resolve("writeback_rate_debug"));
      add(out, false, "node_bcache_dirty_data_bytes", "Amount of dirty data for this backing device in the cache.",
          labels, dirty, uuid, name);
      add(out, false, "node_bcache_dirty_target_bytes",
          "Current dirty data target threshold for this backing device in bytes.", labels, unsigned(wrd[0]), uuid, name);
      add(out, false, "node_bcache_writeback_rate", "Current writeback rate for this backing device in bytes.", labels,
          unsigned(wrd[1]), uuid, name);
      add(out, false, "node_bcache_writeback_rate_proportional_term",
          "Current result of proportional controller, part of writeback rate", labels, wrd[2], uuid, name);
      add(out, false, "node_bcache_writeback_rate_integral_term",
          "Current result of integral controller, part of writeback rate", labels, wrd[3], uuid, name);
      add(out, false, "node_bcache_writeback_change", "Last writeback rate change step for this backing device.",
          labels, wrd[4], uuid, name);
      for (String f : PERIOD_FILES) {
        value(bdev.resolve("stats_five_minute").resolve(f));
      }
      for (String[] m : PERIOD) {
        add(out, true, "node_bcache_" + m[1], m[2], labels, value(bdev.resolve("stats_total").resolve(m[0])), uuid, name);
      }
    }
    for (Path cache : Sysfs.glob(set, "cache")) {
      String name = Sysfs.name(cache);
      String[] labels = {"uuid", "cache_device"};
      add(out, false, "node_bcache_io_errors", "Number of errors that have occurred, decayed by io_error_halflife.",
          labels, value(cache.resolve("io_errors")), uuid, name);
      add(out, true, "node_bcache_metadata_written_bytes_total",
          "Sum of all non data writes (btree writes and all other metadata).", labels,
          value(cache.resolve("metadata_written")), uuid, name);
      add(out, true, "node_bcache_written_bytes_total", "Sum of all data that has been written to the cache.", labels,
          value(cache.resolve("written")), uuid, name);
      if (priorityStats) {
        long[] ps = priorityStats(cache.resolve("priority_stats"));
        add(out, false, "node_bcache_priority_stats_unused_percent",
            "The percentage of the cache that doesn't contain any data.", labels, ps[0], uuid, name);
        add(out, false, "node_bcache_priority_stats_metadata_percent", "Bcache's metadata overhead.", labels, ps[1],
            uuid, name);
      }
    }
  }

  private static double unsigned(long v) {
    return v < 0 ? v + 0x1p64 : v;
  }

  /** A value file: its last byte (the newline) dropped, then dehumanised; absent reads 0. */
  private static double value(Path file) throws IOException {
    String text;
    try {
      text = HostPaths.read(file);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new IOException("failed to read: " + file);
    }
    if (text.isEmpty()) {
      throw new IOException(file + ": empty");
    }
    return unsigned(dehumanize(file, text.substring(0, text.length() - 1)));
  }

  /** {target, rate, proportional, integral, change} from writeback_rate_debug. */
  private static long[] writebackRateDebug(Path file) throws IOException {
    long[] out = new long[5];
    for (String line : Fields.lines(readOrFail(file))) {
      List<String> f = Fields.split(line);
      String last = f.isEmpty() ? "" : f.getLast();
      if (line.startsWith("rate:")) {
        out[1] = dehumanize(file, trimSuffix(last, "/sec"));
      } else if (line.startsWith("dirty:")) {
        dehumanize(file, last);
      } else if (line.startsWith("target:")) {
        out[0] = dehumanize(file, last);
      } else if (line.startsWith("proportional:")) {
        out[2] = dehumanizeSigned(file, last);
      } else if (line.startsWith("integral:")) {
        out[3] = dehumanizeSigned(file, last);
      } else if (line.startsWith("change:")) {
        out[4] = dehumanizeSigned(file, trimSuffix(last, "/sec"));
      } else if (line.startsWith("next io:")) {
        Sysfs.parseLong(file, trimSuffix(last, "ms"));
      }
    }
    return out;
  }

  /** {unused, metadata} percent from priority_stats. */
  private static long[] priorityStats(Path file) throws IOException {
    long[] out = new long[2];
    for (String line : Fields.lines(readOrFail(file))) {
      int which = line.startsWith("Unused:") ? 0 : line.startsWith("Metadata:") ? 1 : -1;
      if (which >= 0) {
        List<String> f = Fields.split(line);
        String v = trimSuffix(f.getLast(), "%");
        Double d = GoNumbers.parseUint10(v);
        if (d == null) {
          throw new IOException(file + ": not a percentage: '" + f.getLast() + "'");
        }
        out[which] = d.longValue();
      }
    }
    return out;
  }

  private static String readOrFail(Path file) throws IOException {
    try {
      return HostPaths.read(file);
    } catch (IOException e) {
      throw new IOException("failed to read: " + file);
    }
  }

  private static String trimSuffix(String s, String suffix) {
    return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
  }

  /**
   * "1.5M" -> bytes as node_exporter computes them: the digit after the point counts in 1/10.24
   * steps, an unknown suffix multiplies by 0, and the result is truncated; returned as uint64 bits.
   */
  static long dehumanize(Path file, String text) throws IOException {
    if (text.isEmpty()) {
      throw new IOException(file + ": zero-length value");
    }
    char last = text.charAt(text.length() - 1);
    double mantissa;
    double mul = 1;
    if (last > '9') {
      int power = "kMGTPEZY".indexOf(last);
      mul = power < 0 ? 0 : Math.pow(1024, power + 1);
      String[] parts = text.substring(0, text.length() - 1).split("\\.", -1);
      Double whole = GoNumbers.parseFloat(parts[0]);
      if (whole == null) {
        throw new IOException(file + ": not a size: '" + text + "'");
      }
      mantissa = whole;
      if (parts.length > 1) {
        Double frac = GoNumbers.parseFloat(parts[1]);
        if (frac == null) {
          throw new IOException(file + ": not a size: '" + text + "'");
        }
        mantissa += frac / 10.24;
      }
    } else {
      Double v = GoNumbers.parseFloat(text);
      if (v == null) {
        throw new IOException(file + ": not a number: '" + text + "'");
      }
      mantissa = v;
    }
    return goUint64(mantissa * mul);
  }

  private static long dehumanizeSigned(Path file, String text) throws IOException {
    boolean negative = text.startsWith("-");
    long v = dehumanize(file, negative ? text.substring(1) : text);
    return negative ? -v : v;
  }

  /** Go's uint64(f) for f in range: truncation toward zero; values from 2^63 wrap into the sign bit. */
  private static long goUint64(double f) {
    if (f >= 0x1p63) {
      return (long) (f - 0x1p63) ^ Long.MIN_VALUE;
    }
    return (long) f;
  }
}
