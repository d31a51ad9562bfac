package io.promsuite.exporter.common.web;

import java.net.InetSocketAddress;

/** Go's listen-address notation: {@code :9100}, {@code 127.0.0.1:9100}, {@code [::1]:9100}, {@code host:port}. */
public final class ListenAddress {
  private ListenAddress() {}

  public static InetSocketAddress parse(String address) {
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("'" + address + "' is not a listen address (expected [host]:port, e.g. :9100)");
    }
    String host = address.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + address + "': port must be a number (expected [host]:port, e.g. :9100)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("'" + address + "': port out of range 0-65535");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }
}
