package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code node_netstat_<Protocol>_<Field>} (untyped) from /proc/net/netstat, /proc/net/snmp and
 * /proc/net/snmp6, for the fields --collector.netstat.fields selects.
 */
public final class NetstatCollector implements Collector {
  public static final String DEFAULT_FIELDS = "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)"
      + "|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)"
      + "|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)"
      + "|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$";

  private final HostPaths paths;
  private final SelectedFields fields;

  public NetstatCollector(HostPaths paths, Pattern fields) {
    this.paths = paths;
    this.fields = new SelectedFields(fields);
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Map<String, String[]> stats = new LinkedHashMap<>();
    pairs(paths.proc("net/netstat"), stats);
    pairs(paths.proc("net/snmp"), stats);
    try {
      for (String line : Fields.lines(HostPaths.read(paths.proc("net/snmp6")))) {
        List<String> f = Fields.split(line);
        int six = f.size() < 2 ? -1 : f.get(0).indexOf('6');
        if (six >= 0) {
          stats.put(f.get(0), new String[] {f.get(0).substring(0, six + 1), f.get(1)});
        }
      }
    } catch (NoSuchFileException e) {
      // No IPv6: node_exporter serves the IPv4 figures alone.
    }
    for (Map.Entry<String, String[]> e : stats.entrySet()) {
      String protocol = e.getValue()[0];
      double value = Double.parseDouble(e.getValue()[1]);
      String field = e.getKey().substring(protocol.length());
      SelectedFields.Metric metric = fields.select(protocol + "_" + field,
          key -> new SelectedFields.Metric("node_netstat_" + key, "Statistic " + protocol + field + "."));
      if (metric != null) {
        sink.untyped(metric.name(), metric.help()).add(value);
      }
    }
  }

  /** Header/value line pairs ({@code Tcp: RtoAlgorithm ...} then {@code Tcp: 1 ...}); keyed ProtocolField. */
  private static void pairs(Path file, Map<String, String[]> stats) throws IOException {
    List<String> lines = Fields.lines(HostPaths.read(file));
    for (int i = 0; i + 1 < lines.size(); i += 2) {
      String[] names = lines.get(i).split(" ", -1);
      String[] values = lines.get(i + 1).split(" ", -1);
      String protocol = names[0].substring(0, names[0].length() - 1);
      if (names.length != values.length) {
        throw new IOException("mismatch field count mismatch in " + file + ": " + protocol);
      }
      for (int n = 1; n < names.length; n++) {
        stats.put(protocol + names[n], new String[] {protocol, values[n]});
      }
    }
  }
}
