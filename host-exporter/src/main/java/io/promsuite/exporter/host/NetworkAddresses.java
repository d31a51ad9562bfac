package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.MetricSink;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * {@code node_network_address_info{device,address,netmask,scope}}: every address of every
 * interface, written as Go writes IPs, with the prefix length as netmask and Go's scope names.
 */
final class NetworkAddresses {
  private NetworkAddresses() {}

  static void write(MetricSink sink) throws SocketException {
    MetricSink.Family f = sink.gauge("node_network_address_info", "node network address by device", "device",
        "address", "netmask", "scope");
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InterfaceAddress a : nif.getInterfaceAddresses()) {
        InetAddress ip = a.getAddress();
        f.add(1, nif.getName(), text(ip), Integer.toString(a.getNetworkPrefixLength()), scope(ip));
      }
    }
  }

  /** Go's net.IP scopes: loopback and link-local are "link-local", as node_exporter reports them. */
  static String scope(InetAddress ip) {
    if (ip.isLoopbackAddress() || ip.isLinkLocalAddress() || ip.isMCLinkLocal()) {
      return "link-local";
    }
    if (ip.isMCNodeLocal()) {
      return "interface-local";
    }
    boolean broadcast = ip instanceof Inet4Address && ip.getHostAddress().equals("255.255.255.255");
    if (!ip.isAnyLocalAddress() && !ip.isMulticastAddress() && !broadcast) {
      return "global";
    }
    return "";
  }

  /** IPv4 dotted; IPv6 as RFC 5952 (Go's form): lower case, the longest run of zero groups as ::. */
  static String text(InetAddress ip) {
    if (!(ip instanceof Inet6Address)) {
      return ip.getHostAddress();
    }
    byte[] b = ip.getAddress();
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
