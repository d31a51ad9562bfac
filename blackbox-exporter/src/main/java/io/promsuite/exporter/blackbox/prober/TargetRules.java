package io.promsuite.exporter.blackbox.prober;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code --probe.allow} / {@code --probe.deny}: the one address policy every prober and every
 * redirect hop passes through. Names are matched by host pattern ({@code *.example.com}, any case,
 * with or without the trailing dot) before anything is looked up; every address a probe connects
 * to is checked in its canonical form and as each IPv4 address it carries ({@link AddressForms}).
 * Deny wins over allow; no allow rule means everything not denied. Threat model:
 * docs/blackbox-exporter.md.
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
      if (AddressForms.problem(addr) != null) {
        throw new IllegalArgumentException(flag + ": '" + s + "': the address " + AddressForms.problem(addr));
      }
      try {
        byte[] net = InetAddress.ofLiteral(addr).getAddress();
        int bits = s.contains("/") ? Integer.parseInt(s.substring(s.indexOf('/') + 1)) : (addr.contains(":") ? 128 : 32);
        if (addr.contains(":") && net.length == 4) {
          // ::ffff:a.b.c.d/n: Java reads the mapped address as IPv4, and so do the rules.
          if (bits < 96) {
            throw new IllegalArgumentException(flag + ": '" + s + "' reaches outside ::ffff:0:0/96; write IPv4 ranges as a.b.c.d/n");
          }
          bits -= 96;
        }
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
    if (!s.matches("[A-Za-z0-9*._-]+") || s.startsWith(".") || s.contains("..")) {
      throw new IllegalArgumentException(flag + ": '" + s + "' is neither a CIDR nor a host pattern (e.g. *.example.com)");
    }
    String numeric = AddressForms.problem(s.replace("*", "x"));
    if (numeric != null) {
      throw new IllegalArgumentException(flag + ": '" + s + "' " + numeric);
    }
    // Names are compared as AddressForms.normalName writes them: lower case, no trailing dot.
    String re = AddressForms.normalName(s).replace(".", "\\.").replace("*", "[^.]*");
    return new Rule(s, null, Pattern.compile(re));
  }

  public boolean isOpen() {
    return allow.isEmpty() && deny.isEmpty();
  }

  /** A target the rules refuse; the message names the target and the rule it broke. */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Null unless {@code host} looks like an address in a spelling resolvers read differently
   * ({@code 0177.0.0.1}, {@code 127.1}, {@code 0x7f.1}, {@code 2130706433}): a 400 before anything
   * is looked up, with or without rules.
   */
  public static String formProblem(String host) {
    String p = AddressForms.ambiguity(host);
    return p == null ? null : "host '" + host + "' " + p;
  }

  /**
   * Null when {@code host} may be looked up (a name) or connected to (an address), else why not.
   * Nothing is resolved: under an allow-list a name is looked up only when an allow host pattern
   * matches it, so a caller cannot make the exporter send DNS queries for names of its choosing.
   */
  public String checkName(String host) {
    if (isOpen()) {
      return null;
    }
    String problem = AddressForms.problem(host);
    if (problem != null) {
      return "target host '" + host + "' " + problem;
    }
    if (AddressForms.isLiteral(host)) {
      return checkAddress(AddressForms.parse(host));
    }
    String name = AddressForms.normalName(host);
    for (Rule r : deny) {
      if (r.host() != null && r.host().matcher(name).matches()) {
        return "target " + host + " is denied by --probe.deny=" + r.text();
      }
    }
    if (!allow.isEmpty() && allow.stream().noneMatch(r -> r.host() != null && r.host().matcher(name).matches())) {
      return "target " + host + " is not allowed by --probe.allow (a name needs a matching host pattern there,"
          + " e.g. *.example.com; address ranges admit addresses)";
    }
    return null;
  }

  /**
   * Null when a connection to {@code address} is allowed on its own (a literal target or redirect):
   * no form of it is denied, and under an allow-list every form is inside an allowed range. The
   * unspecified address (which reaches this host) is refused whenever there are rules.
   */
  public String checkAddress(InetAddress address) {
    if (isOpen()) {
      return null;
    }
    String denied = denied(null, address);
    if (denied != null) {
      return denied;
    }
    List<InetAddress> forms = AddressForms.forms(address);
    if (!allow.isEmpty() && !forms.stream().allMatch(f -> allow.stream().anyMatch(r -> r.cidr() != null && r.cidr().contains(f)))) {
      return "target " + address.getHostAddress() + " is not allowed by --probe.allow";
    }
    return null;
  }

  /** Null unless a deny range holds a form of {@code address} or it is unspecified; {@code host} names the target. */
  private String denied(String host, InetAddress address) {
    String target = "target " + (host == null ? "" : host + " resolves to ") + address.getHostAddress();
    if (address.isAnyLocalAddress() || AddressForms.canonical(address).isAnyLocalAddress()) {
      return target + ", the unspecified address, which reaches this host";
    }
    for (InetAddress f : AddressForms.forms(address)) {
      for (Rule r : deny) {
        if (r.cidr() != null && r.cidr().contains(f)) {
          return target + (f.equals(AddressForms.canonical(address)) ? "" : " (" + f.getHostAddress() + ")")
              + ", denied by --probe.deny=" + r.text();
        }
      }
    }
    return null;
  }

  /**
   * The canonical addresses of {@code host}, each one checked: the only addresses a probe may
   * connect to. A literal is not resolved; a name is resolved only once {@link #checkName} passed,
   * and every address it resolves to must pass the deny ranges (its allow pattern admits it).
   */
  public List<InetAddress> resolve(String host) throws Refused, UnknownHostException {
    String refused = checkName(host);
    if (refused != null) {
      throw new Refused(refused);
    }
    if (!isOpen() && AddressForms.isLiteral(host)) {
      return List.of(AddressForms.parse(host));
    }
    return checkResolved(host, List.of(InetAddress.getAllByName(host)));
  }

  /** What {@link #resolve} makes of the addresses {@code name} (that passed {@link #checkName}) resolved to. */
  List<InetAddress> checkResolved(String name, List<InetAddress> resolved) throws Refused {
    List<InetAddress> out = new ArrayList<>();
    for (InetAddress a : resolved) {
      InetAddress c = AddressForms.canonical(a);
      if (!out.contains(c)) {
        out.add(c);
      }
    }
    if (!isOpen()) {
      for (InetAddress a : out) {
        String denied = denied(name, a);
        if (denied != null) {
          throw new Refused(denied);
        }
      }
    }
    return out;
  }

  /** {@link #resolve} as a reason, for the handler's check before the probe; a name that does not resolve is the probe's to report. */
  public String checkHost(String host) {
    if (isOpen()) {
      return null;
    }
    try {
      resolve(host);
      return null;
    } catch (Refused e) {
      return e.getMessage();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
