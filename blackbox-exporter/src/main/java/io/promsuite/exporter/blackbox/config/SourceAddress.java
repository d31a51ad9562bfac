package io.promsuite.exporter.blackbox.config;

import java.util.regex.Pattern;

/** Checks {@code source_ip_address}: an IPv4 or IPv6 literal, never a name. */
final class SourceAddress {
  private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  private SourceAddress() {}

  static String check(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    if (!LITERAL.matcher(value).matches()) {
      throw new IllegalArgumentException("source_ip_address must be an IP address, got '" + value + "'");
    }
    return value;
  }
}
