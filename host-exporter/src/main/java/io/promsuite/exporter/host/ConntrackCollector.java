package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.util.List;

/**
 * {@code node_nf_conntrack_entries}, {@code _entries_limit} and the {@code node_nf_conntrack_stat_*}
 * counters (gauges in node_exporter 1.5) summed over CPUs from /proc/net/stat/nf_conntrack.
 */
public final class ConntrackCollector implements Collector {
  // Columns of /proc/net/stat/nf_conntrack (hex, one line per CPU) and the family each feeds.
  private static final int[] COLUMNS = {2, 4, 5, 8, 9, 10, 11, 16};
  private static final String[][] FAMILIES = {
      {"found", "Number of searched entries which were successful."},
      {"invalid", "Number of packets seen which can not be tracked."},
      {"ignore", "Number of packets seen which are already connected to a conntrack entry."},
      {"insert", "Number of entries inserted into the list."},
      {"insert_failed", "Number of entries for which list insertion was attempted but failed."},
      {"drop", "Number of packets dropped due to conntrack failure."},
      {"early_drop", "Number of dropped conntrack entries to make room for new ones, if maximum table size was reached."},
      {"search_restart", "Number of conntrack table lookups which had to be restarted due to hashtable resizes."}};

  private final HostPaths paths;

  public ConntrackCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    sink.gauge("node_nf_conntrack_entries", "Number of currently allocated flow entries for connection tracking.")
        .add(HostPaths.readNumber(paths.proc("sys/net/netfilter/nf_conntrack_count")));
    sink.gauge("node_nf_conntrack_entries_limit", "Maximum size of connection tracking table.")
        .add(HostPaths.readNumber(paths.proc("sys/net/netfilter/nf_conntrack_max")));
    double[] sums = new double[COLUMNS.length];
    List<String> lines = Fields.lines(HostPaths.read(paths.proc("net/stat/nf_conntrack")));
    for (int l = 1; l < lines.size(); l++) {
      List<String> f = Fields.split(lines.get(l));
      if (f.isEmpty()) {
        continue;
      }
      if (f.size() != 17) {
        throw new IOException("invalid conntrackstat entry, missing fields");
      }
      for (int i = 0; i < COLUMNS.length; i++) {
        sums[i] += Long.parseUnsignedLong(f.get(COLUMNS[i]), 16);
      }
    }
    for (int i = 0; i < COLUMNS.length; i++) {
      sink.gauge("node_nf_conntrack_stat_" + FAMILIES[i][0], FAMILIES[i][1]).add(sums[i]);
    }
  }
}
