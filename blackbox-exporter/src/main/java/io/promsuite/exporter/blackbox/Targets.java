package io.promsuite.exporter.blackbox;

import io.promsuite.exporter.blackbox.prober.TargetRules;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Checks a {@code target} parameter for its prober before anything is probed, and names the host
 * the target rules apply to. Problems are one-line reasons for a 400, an address spelled in a way
 * resolvers read differently ({@code 0177.0.0.1}) among them.
 */
final class Targets {
  /** A target that passed: the host to resolve and check against the rules. */
  record Checked(String host) {}

  /** A target that cannot be probed; the message is the 400 body. */
  static final class BadTarget extends Exception {
    BadTarget(String message) {
      super(message);
    }
  }

  private Targets() {}

  static Checked check(String prober, String target) throws BadTarget {
    Checked checked = syntax(prober, target);
    String ambiguous = TargetRules.formProblem(checked.host());
    if (ambiguous != null) {
      throw new BadTarget("target " + ambiguous);
    }
    return checked;
  }

  private static Checked syntax(String prober, String target) throws BadTarget {
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c == '\r' || c == '\n') {
        throw new BadTarget("target contains a line break (CR or LF)");
      }
      if (c == ' ' || c == '\t') {
        throw new BadTarget("target contains whitespace");
      }
      if (c < 0x20 || c == 0x7f) {
        throw new BadTarget("target contains a control character");
      }
    }
    return switch (prober) {
      case "http" -> http(target);
      case "tcp" -> hostPort(target, true);
      case "grpc" -> hostPort(target.replaceFirst("^https?://", ""), false);
      case "dns" -> hostPort(target, false);
      default -> host(target);
    };
  }

  private static Checked http(String target) throws BadTarget {
    String t = target;
    int scheme = t.indexOf("://");
    if (scheme >= 0) {
      String s = t.substring(0, scheme).toLowerCase(Locale.ROOT);
      if (!s.equals("http") && !s.equals("https")) {
        throw new BadTarget("unsupported scheme '" + t.substring(0, scheme) + "' in target (http or https)");
      }
    } else {
      t = "http://" + t;
    }
    URI u;
    try {
      u = new URI(t);
    } catch (URISyntaxException e) {
      throw new BadTarget("target is not a valid URL: " + e.getReason());
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      // java.net.URI has no host for 0x7f.1 (a name's last label cannot start with a digit).
      String authority = u.getRawAuthority() == null ? "" : u.getRawAuthority().replaceFirst("^.*@", "");
      String ambiguous = TargetRules.formProblem(authority.replaceFirst(":\\d*$", ""));
      throw new BadTarget(ambiguous != null ? "target " + ambiguous : "target URL has no host");
    }
    if (u.getPort() > 65535) {
      throw new BadTarget("target port " + u.getPort() + " is out of range");
    }
    String h = u.getHost();
    return new Checked(h.startsWith("[") ? h.substring(1, h.length() - 1) : h);
  }

  private static Checked hostPort(String target, boolean portRequired) throws BadTarget {
    if (target.contains("://") || target.contains("/")) {
      throw new BadTarget("target must be host:port, not a URL");
    }
    String host = target;
    String port = null;
    if (target.startsWith("[")) {
      int close = target.indexOf(']');
      if (close < 0) {
        throw new BadTarget("target has an unclosed '[' in its IPv6 address");
      }
      host = target.substring(1, close);
      String rest = target.substring(close + 1);
      if (rest.startsWith(":")) {
        port = rest.substring(1);
      } else if (!rest.isEmpty()) {
        throw new BadTarget("target has text after the IPv6 address");
      }
    } else {
      int colon = target.lastIndexOf(':');
      if (colon >= 0 && target.indexOf(':') == colon) {
        host = target.substring(0, colon);
        port = target.substring(colon + 1);
      } else if (colon >= 0) {
        throw new BadTarget("IPv6 targets are written [address]:port");
      }
    }
    if (host.isEmpty()) {
      throw new BadTarget("target has no host");
    }
    if (port == null) {
      if (portRequired) {
        throw new BadTarget("target must be host:port (missing port)");
      }
    } else if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535 || Integer.parseInt(port) == 0) {
      throw new BadTarget("target port '" + port + "' is not a port number (1-65535)");
    }
    return new Checked(host);
  }

  private static Checked host(String target) throws BadTarget {
    boolean ipv6 = target.matches("\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*:[0-9a-fA-F:.]*]?");
    if (target.contains("/") || (target.contains(":") && !ipv6)) {
      throw new BadTarget("target must be a host name or address, without port or scheme");
    }
    return new Checked(target.startsWith("[") ? target.substring(1, target.length() - 1) : target);
  }
}
