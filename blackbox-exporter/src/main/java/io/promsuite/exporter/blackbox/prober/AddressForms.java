package io.promsuite.exporter.blackbox.prober;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How the target rules read hosts and addresses: the canonical form of an address, the IPv4
 * addresses an IPv6 address carries, and which host spellings are refused because resolvers read
 * them differently (glibc's inet_aton takes {@code 0177.0.0.1} as octal, Java as decimal).
 */
final class AddressForms {
  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");
  private static final Pattern DECIMAL_OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");
  private static final Pattern NAME_LABEL = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");

  private AddressForms() {}

  /**
   * Null when {@code host} is a name or an address in its one unambiguous spelling (four decimal
   * numbers, or IPv6); else why it is refused, as a phrase after the host.
   */
  static String problem(String host) {
    if (host == null || host.isEmpty()) {
      return "has no host";
    }
    String ambiguous = ambiguity(host);
    if (ambiguous != null || host.indexOf(':') >= 0) {
      return ambiguous;
    }
    String bare = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    for (String l : bare.split("\\.", -1)) {
      if (l.isEmpty()) {
        return "has an empty label";
      }
      if (!NAME_LABEL.matcher(l).matches()) {
        return "has characters other than letters, digits, '-' and '_' (write international names as xn--)";
      }
    }
    return null;
  }

  /** Null unless {@code host} looks like an address but is not one in its one unambiguous spelling; else why. */
  static String ambiguity(String host) {
    if (host.indexOf(':') >= 0) {
      if (!IPV6.matcher(host).matches() || parse(host) == null) {
        return "is not an IPv6 address";
      }
      String tail = host.substring(host.lastIndexOf(':') + 1).replaceFirst("%.*", "");
      if (tail.indexOf('.') >= 0 && !isDottedQuad(tail)) {
        return "embeds an IPv4 address that is not four decimal numbers";
      }
      return null;
    }
    String bare = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String[] labels = bare.split("\\.", -1);
    if (labels.length > 4 || !Arrays.stream(labels).allMatch(l -> NUMERIC_LABEL.matcher(l).matches())) {
      return null; // A name (inet_aton reads at most four numbers).
    }
    return host.equals(bare) && isDottedQuad(bare) ? null
        : "is a legacy IPv4 spelling (octal, hexadecimal, shortened or with a trailing dot) that resolvers read "
            + "differently; write the address as four decimal numbers, e.g. 127.0.0.1";
  }

  /** Whether {@code host} (that passed {@link #problem}) is an address rather than a name. */
  static boolean isLiteral(String host) {
    return host.indexOf(':') >= 0 || isDottedQuad(host);
  }

  /** The address of a literal that passed {@link #problem}, canonical; null when it is not one. */
  static InetAddress parse(String literal) {
    try {
      return canonical(InetAddress.ofLiteral(literal));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A name as host patterns see it: lower case, without the trailing dot of a fully qualified name. */
  static String normalName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private static boolean isDottedQuad(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (!DECIMAL_OCTET.matcher(p).matches() || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  /**
   * The address a connection to {@code a} reaches: an IPv4-mapped IPv6 address ({@code
   * ::ffff:a.b.c.d}, which the resolver returns for such a hosts-file entry) is that IPv4 address.
   */
  static InetAddress canonical(InetAddress a) {
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address && zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return v4(b, 12, 0);
    }
    return a;
  }

  /**
   * Every address the rules check for {@code a}: its canonical form, then each IPv4 address an
   * IPv6 address carries (IPv4-compatible {@code ::a.b.c.d}, IPv4-translated {@code ::ffff:0:a.b.c.d},
   * NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}, Teredo {@code 2001::/32}: server and client).
   * The unspecified address reaches this host, so it also stands for loopback.
   */
  static List<InetAddress> forms(InetAddress a) {
    InetAddress c = canonical(a);
    List<InetAddress> out = new ArrayList<>(List.of(c));
    byte[] b = c.getAddress();
    if (c.isAnyLocalAddress()) {
      out.add(c instanceof Inet4Address ? v4(new byte[] {127, 0, 0, 1}, 0, 0) : InetAddress.getLoopbackAddress());
      return out;
    }
    if (!(c instanceof Inet6Address)) {
      return out;
    }
    int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    if (zero(b, 0, 12) && !zero(b, 12, 15)) { // ::a.b.c.d, but not :: nor ::1
      out.add(v4(b, 12, 0));
    } else if (zero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && zero(b, 10, 12)) {
      out.add(v4(b, 12, 0));
    } else if (w0 == 0x64 && w1 == 0xff9b && zero(b, 4, 12)) {
      out.add(v4(b, 12, 0));
    } else if (w0 == 0x2002) {
      out.add(v4(b, 2, 0));
    } else if (w0 == 0x2001 && w1 == 0) {
      out.add(v4(b, 4, 0));
      out.add(v4(b, 12, 0xff));
    }
    return out;
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress v4(byte[] b, int at, int xor) {
    byte[] four = Arrays.copyOfRange(b, at, at + 4);
    for (int i = 0; i < 4; i++) {
      four[i] ^= (byte) xor;
    }
    try {
      return InetAddress.getByAddress(four);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }
}
