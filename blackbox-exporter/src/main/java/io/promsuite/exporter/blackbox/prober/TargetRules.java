package io.promsuite.exporter.blackbox.prober;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code --probe.allow} / {@code --probe.deny}: which targets this exporter may probe, by CIDR or
 * host pattern ({@code *.example.com}). Checked on the resolved addresses, so a name cannot
 * smuggle a denied address in; deny wins over allow; no allow rule means everything not denied.
 */
public final class TargetRules {
  /** No rules: every target may be probed (blackbox_exporter's behaviour). */
  public static final TargetRules OPEN = new TargetRules(List.of(), List.of());

  private record Cidr(byte[] network, int bits) {
    boolean contains(InetAddress a) {
      byte[] b = a.getAddress();
      if (b.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (b[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (b[full] & mask) == (network[full] & mask);
    }
  }

  private record Rule(String text, Cidr cidr, Pattern host) {}

  private final List<Rule> allow;
  private final List<Rule> deny;

  private TargetRules(List<Rule> allow, List<Rule> deny) {
    this.allow = allow;
    this.deny = deny;
  }

  /** Parses the flag values; a bad rule is an IllegalArgumentException naming it. */
  public static TargetRules parse(List<String> allow, List<String> deny) {
    return new TargetRules(rules("--probe.allow", allow), rules("--probe.deny", deny));
  }

  private static List<Rule> rules(String flag, List<String> specs) {
    List<Rule> out = new ArrayList<>();
    for (String spec : specs) {
      for (String s : spec.split(",")) {
        s = s.trim();
        if (!s.isEmpty()) {
          out.add(rule(flag, s));
        }
      }
    }
    return out;
  }

  private static Rule rule(String flag, String s) {
    if (s.matches("[0-9a-fA-F:.]+/\\d{1,3}") || s.matches("[0-9.]+") || (s.contains(":") && s.matches("[0-9a-fA-F:.]+"))) {
      String addr = s.contains("/") ? s.substring(0, s.indexOf('/')) : s;
      try {
        byte[] net = InetAddress.ofLiteral(addr).getAddress();
        int bits = s.contains("/") ? Integer.parseInt(s.substring(s.indexOf('/') + 1)) : net.length * 8;
        if (bits > net.length * 8) {
          throw new IllegalArgumentException(flag + ": '" + s + "' has a prefix longer than the address");
        }
        return new Rule(s, new Cidr(net, bits), null);
      } catch (IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith(flag)) {
          throw e;
        }
        throw new IllegalArgumentException(flag + ": '" + s + "' is not an address or CIDR (e.g. 10.0.0.0/8, ::1/128)");
      }
    }
    if (!s.matches("[A-Za-z0-9*._-]+")) {
      throw new IllegalArgumentException(flag + ": '" + s + "' is neither a CIDR nor a host pattern (e.g. *.example.com)");
    }
    String re = s.toLowerCase(Locale.ROOT).replace(".", "\\.").replace("*", "[^.]*");
    return new Rule(s, null, Pattern.compile(re));
  }

  public boolean isOpen() {
    return allow.isEmpty() && deny.isEmpty();
  }

  /** Null when {@code host} (resolved to {@code addresses}) may be probed, else the reason. */
  public String check(String host, List<InetAddress> addresses) {
    String h = host == null ? null : host.toLowerCase(Locale.ROOT);
    for (Rule r : deny) {
      if (r.host() != null && h != null && r.host().matcher(h).matches()) {
        return "target " + host + " is denied by --probe.deny=" + r.text();
      }
      if (r.cidr() != null) {
        for (InetAddress a : addresses) {
          if (r.cidr().contains(a)) {
            return "target " + (host == null ? "" : host + " ") + "resolves to " + a.getHostAddress()
                + ", denied by --probe.deny=" + r.text();
          }
        }
      }
    }
    if (allow.isEmpty()) {
      return null;
    }
    for (Rule r : allow) {
      if (r.host() != null && h != null && r.host().matcher(h).matches()) {
        return null;
      }
    }
    boolean anyCidr = allow.stream().anyMatch(r -> r.cidr() != null);
    if (anyCidr && !addresses.isEmpty() && addresses.stream().allMatch(a -> allow.stream()
        .anyMatch(r -> r.cidr() != null && r.cidr().contains(a)))) {
      return null;
    }
    return "target " + (host == null ? "" : host + " ") + "is not allowed by --probe.allow";
  }

  /** The check for a connection to a bare address (a redirect to an IP literal). */
  public String checkAddress(InetAddress address) {
    return check(address.getHostAddress(), List.of(address));
  }

  /** Resolves {@code host} and checks every address; for the handler, before any probe. */
  public String checkHost(String host) {
    if (isOpen()) {
      return null;
    }
    try {
      return check(host, List.of(InetAddress.getAllByName(host)));
    } catch (UnknownHostException e) {
      return null; // The probe itself reports the resolution failure.
    }
  }
}
