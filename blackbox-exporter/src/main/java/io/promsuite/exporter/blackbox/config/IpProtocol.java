package io.promsuite.exporter.blackbox.config;

/** Checks {@code preferred_ip_protocol}; blackbox_exporter prefers ip6 when it is not set. */
final class IpProtocol {
  private IpProtocol() {}

  static String check(String value) {
    if (value == null || value.isEmpty()) {
      return "ip6";
    }
    if (!value.equals("ip4") && !value.equals("ip6")) {
      throw new IllegalArgumentException("preferred_ip_protocol must be ip4 or ip6, got '" + value + "'");
    }
    return value;
  }
}
