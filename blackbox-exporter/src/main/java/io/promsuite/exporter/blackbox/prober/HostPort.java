package io.promsuite.exporter.blackbox.prober;

/** A {@code host:port} (or {@code [v6]:port}, or a bare host with a default port) target of the tcp and dns probers. */
record HostPort(String host, int port) {
  /** Null when the port is missing (and there is no default, {@code defaultPort} < 0) or not a number. */
  static HostPort parse(String target, int defaultPort) {
    String host = target;
    String port = null;
    if (target.startsWith("[")) {
      int close = target.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = target.substring(1, close);
      if (target.length() > close + 1) {
        port = target.substring(close + 2);
      }
    } else {
      int colon = target.lastIndexOf(':');
      if (colon >= 0 && target.indexOf(':') == colon) {
        host = target.substring(0, colon);
        port = target.substring(colon + 1);
      }
    }
    if (port == null) {
      return defaultPort < 0 ? null : new HostPort(host, defaultPort);
    }
    try {
      return new HostPort(host, Integer.parseInt(port));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
