package io.promsuite.exporter.host;

import io.promsuite.exporter.common.cli.FlagException;
import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * node_exporter's {@code ipvs} collector: IPVS (Linux virtual server) totals from
 * /proc/net/ip_vs_stats and per-backend connections and weights from /proc/net/ip_vs, summed over
 * the backend labels chosen with --collector.ipvs.backend-labels.
 */
public final class IpvsCollector implements Collector {
  public static final List<String> ALL_LABELS =
      List.of("local_address", "local_port", "remote_address", "remote_port", "proto", "local_mark");

  private final HostPaths paths;
  private final List<String> labels;

  public IpvsCollector(HostPaths paths, List<String> labels) {
    this.paths = paths;
    this.labels = labels;
  }

  /** The flag's comma-separated labels in node_exporter's order; unknown ones are refused. */
  public static List<String> parseLabels(String flag) throws FlagException {
    Set<String> wanted = new TreeSet<>();
    for (String l : flag.split(",", -1)) {
      if (!l.isEmpty()) {
        wanted.add(l);
      }
    }
    List<String> out = new ArrayList<>();
    for (String l : ALL_LABELS) {
      if (wanted.remove(l)) {
        out.add(l);
      }
    }
    if (!wanted.isEmpty()) {
      throw new FlagException("flag --collector.ipvs.backend-labels: unknown IPVS backend labels: \""
          + String.join(", ", wanted) + "\" (known: " + String.join(",", ALL_LABELS) + ")");
    }
    return out;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Path statsFile = paths.proc("net/ip_vs_stats");
    String stats = HostPaths.readOrNoData(statsFile, "ipvs collector metrics are not available for this system");
    double[] totals = totals(statsFile, stats);
    Map<String, String[]> keys = new LinkedHashMap<>();
    Map<String, double[]> sums = new LinkedHashMap<>();
    for (String[] backend : backends(paths.proc("net/ip_vs"))) {
      String[] kv = new String[labels.size()];
      for (int i = 0; i < kv.length; i++) {
        kv[i] = backend[ALL_LABELS.indexOf(labels.get(i))];
      }
      String key = String.join("-", kv);
      keys.put(key, kv);
      double[] sum = sums.computeIfAbsent(key, k -> new double[3]);
      for (int i = 0; i < 3; i++) {
        sum[i] += Double.parseDouble(backend[6 + i]);
      }
    }
    sink.counter("node_ipvs_connections_total", "The total number of connections made.").add(totals[0]);
    sink.counter("node_ipvs_incoming_packets_total", "The total number of incoming packets.").add(totals[1]);
    sink.counter("node_ipvs_outgoing_packets_total", "The total number of outgoing packets.").add(totals[2]);
    sink.counter("node_ipvs_incoming_bytes_total", "The total amount of incoming data.").add(totals[3]);
    sink.counter("node_ipvs_outgoing_bytes_total", "The total amount of outgoing data.").add(totals[4]);
    String[] names = labels.toArray(String[]::new);
    for (Map.Entry<String, double[]> s : sums.entrySet()) {
      String[] kv = keys.get(s.getKey());
      sink.gauge("node_ipvs_backend_connections_active", "The current active connections by local and remote address.",
          names).add(s.getValue()[0], kv);
      sink.gauge("node_ipvs_backend_connections_inactive",
          "The current inactive connections by local and remote address.", names).add(s.getValue()[1], kv);
      sink.gauge("node_ipvs_backend_weight", "The current backend weight by local and remote address.", names)
          .add(s.getValue()[2], kv);
    }
  }

  /** Connections, packets in/out, bytes in/out: hexadecimal, on the third line. */
  private static double[] totals(Path file, String text) throws IOException {
    String[] lines = text.split("\n", 4);
    if (lines.length != 4) {
      throw new IOException(file + ": corrupt: too short");
    }
    List<String> f = Fields.split(lines[2]);
    if (f.size() != 5) {
      throw new IOException(file + ":3: corrupt: " + f.size() + " fields, 5 expected");
    }
    double[] out = new double[5];
    for (int i = 0; i < 5; i++) {
      out[i] = hex(file, f.get(i), 64);
    }
    return out;
  }

  /**
   * One row per backend: local address, local port, remote address, remote port, proto, mark,
   * then active, inactive, weight.
   */
  private static List<String[]> backends(Path file) throws IOException {
    List<String[]> out = new ArrayList<>();
    String proto = "";
    String mark = "";
    String localAddress = "";
    String localPort = "0";
    for (String line : Fields.lines(HostPaths.read(file))) {
      List<String> f = Fields.split(line);
      if (f.isEmpty() || f.get(0).equals("IP") || f.get(0).equals("Prot")
          || f.size() > 1 && f.get(1).equals("RemoteAddress:Port")) {
        continue;
      }
      switch (f.get(0)) {
        case "TCP", "UDP" -> {
          if (f.size() < 2) {
            continue;
          }
          proto = f.get(0);
          mark = "";
          String[] ip = ipPort(file, f.get(1));
          localAddress = ip[0];
          localPort = ip[1];
        }
        case "FWM" -> {
          if (f.size() < 2) {
            continue;
          }
          proto = "FWM";
          mark = f.get(1);
          localAddress = "";
          localPort = "0";
        }
        case "->" -> {
          if (f.size() < 6) {
            continue;
          }
          String[] remote = ipPort(file, f.get(1));
          String weight = decimal(file, f.get(3));
          String active = decimal(file, f.get(4));
          String inactive = decimal(file, f.get(5));
          out.add(new String[] {localAddress, localPort, remote[0], remote[1], proto, mark, active, inactive, weight});
        }
        default -> { }
      }
    }
    return out;
  }

  /** "0A000001:0050" or "[2620:0000:...:0001]:0050" -> {address as Go prints it, decimal port}. */
  private static String[] ipPort(Path file, String s) throws IOException {
    String address;
    if (s.length() == 13) {
      try {
        byte[] b = HexFormat.of().parseHex(s.substring(0, 8));
        address = InetAddress.getByAddress(b).getHostAddress();
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": invalid IPv4 address in '" + s + "'");
      }
    } else if (s.length() == 46) {
      address = ipv6(file, s.substring(1, 40));
    } else {
      throw new IOException(file + ": unexpected IP:Port: " + s);
    }
    return new String[] {address, Long.toString((long) hex(file, s.substring(s.length() - 4), 16))};
  }

  /** An IPv6 address in Go's canonical form: longest zero run as "::", IPv4-mapped as dotted quad. */
  static String ipv6(Path file, String literal) throws IOException {
    if (!literal.matches("[0-9A-Fa-f:.]+")) {
      throw new IOException(file + ": invalid IPv6 address: " + literal);
    }
    InetAddress a;
    try {
      a = InetAddress.ofLiteral(literal);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": invalid IPv6 address: " + literal);
    }
    if (a instanceof Inet4Address) {
      return a.getHostAddress();
    }
    byte[] p = a.getAddress();
    int e0 = -1;
    int e1 = -1;
    for (int i = 0; i < 16; i += 2) {
      int j = i;
      while (j < 16 && p[j] == 0 && p[j + 1] == 0) {
        j += 2;
      }
      if (j > i && j - i > e1 - e0) {
        e0 = i;
        e1 = j;
        i = j;
      }
    }
    if (e1 - e0 <= 2) {
      e0 = -1;
      e1 = -1;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      if (i == e0) {
        sb.append("::");
        i = e1;
        if (i >= 16) {
          break;
        }
      } else if (i > 0) {
        sb.append(':');
      }
      sb.append(Integer.toHexString(((p[i] & 0xff) << 8) | (p[i + 1] & 0xff)));
    }
    return sb.toString();
  }

  private static double hex(Path file, String s, int bits) throws IOException {
    try {
      if (s.startsWith("+") || s.startsWith("-")) {
        throw new NumberFormatException(s);
      }
      long v = Long.parseUnsignedLong(s, 16);
      if (bits < 64 && Long.compareUnsigned(v, (1L << bits) - 1) > 0) {
        throw new NumberFormatException(s);
      }
      return v < 0 ? v + 0x1p64 : v;
    } catch (NumberFormatException e) {
      throw new IOException(file + ": not a hexadecimal number: '" + s + "'");
    }
  }

  private static String decimal(Path file, String s) throws IOException {
    Double v = GoNumbers.parseUint10(s);
    if (v == null) {
      throw new IOException(file + ": not an unsigned integer: '" + s + "'");
    }
    return Double.toString(v);
  }
}
