package io.promsuite.exporter.ml.source;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orders version names oldest first, the way people name them: timestamps chronologically
 * ({@code 2024-05-01T12:00:00Z}, {@code 20240501-1200}), semantic versions by precedence
 * ({@code 1.9.0 < 1.10.0}, {@code 2.0.0-rc1 < 2.0.0}, a leading {@code v} ignored) and plain
 * numbers numerically ({@code 9 < 10}). Names of different kinds fall back to natural order
 * (digit runs compared as numbers).
 */
public final class VersionOrder implements Comparator<String> {
  public static final VersionOrder INSTANCE = new VersionOrder();

  private static final Pattern TIME = Pattern.compile(
      "\\d{4}-?\\d{2}-?\\d{2}(?:[T_ -]?\\d{2}:?\\d{2}(?::?\\d{2}(?:[.,]\\d+)?)?)?(?:Z|[+-]\\d{2}:?\\d{2})?");
  private static final Pattern SEMVER = Pattern.compile("[vV]?(\\d+(?:\\.\\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?");
  private static final Pattern DIGITS_ONLY = Pattern.compile("\\d+");

  private VersionOrder() {}

  private enum Kind { TIME, SEMVER, OTHER }

  private static Kind kind(String v) {
    // A bare run of digits is a number, not a compact date: 20240501 and 20240502 order the same either way.
    if (!DIGITS_ONLY.matcher(v).matches() && TIME.matcher(v).matches()) {
      return Kind.TIME;
    }
    return SEMVER.matcher(v).matches() ? Kind.SEMVER : Kind.OTHER;
  }

  @Override
  public int compare(String a, String b) {
    Kind ka = kind(a);
    Kind kb = kind(b);
    int c;
    if (ka == kb && ka == Kind.TIME) {
      c = timeKey(a).compareTo(timeKey(b));
    } else if (ka == kb && ka == Kind.SEMVER) {
      c = semver(a, b);
    } else {
      c = natural(a, b);
    }
    return c != 0 ? c : a.compareTo(b);
  }

  /** Digits of the timestamp padded to a fixed width, so "2024-05-01" sorts before "2024-05-01T10:00". */
  private static String timeKey(String v) {
    String digits = v.replaceAll("(Z|[+-]\\d{2}:?\\d{2})$", "").replaceAll("\\D", "");
    StringBuilder sb = new StringBuilder(digits);
    while (sb.length() < 20) {
      sb.append('0');
    }
    return sb.toString();
  }

  private static int semver(String a, String b) {
    Matcher ma = SEMVER.matcher(a);
    Matcher mb = SEMVER.matcher(b);
    ma.matches();
    mb.matches();
    String[] ca = ma.group(1).split("\\.");
    String[] cb = mb.group(1).split("\\.");
    for (int i = 0; i < Math.max(ca.length, cb.length); i++) {
      BigInteger x = i < ca.length ? new BigInteger(ca[i]) : BigInteger.ZERO;
      BigInteger y = i < cb.length ? new BigInteger(cb[i]) : BigInteger.ZERO;
      int c = x.compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    String pa = ma.group(2);
    String pb = mb.group(2);
    if (pa == null || pb == null) {
      // A release outranks its pre-releases.
      return pa == null ? (pb == null ? 0 : 1) : -1;
    }
    return natural(pa, pb);
  }

  /** Compares digit runs as numbers and everything else character by character. */
  static int natural(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char x = a.charAt(i);
      char y = b.charAt(j);
      if (Character.isDigit(x) && Character.isDigit(y)) {
        int ei = i;
        while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
          ei++;
        }
        int ej = j;
        while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
          ej++;
        }
        int c = new BigInteger(a.substring(i, ei)).compareTo(new BigInteger(b.substring(j, ej)));
        if (c != 0) {
          return c;
        }
        i = ei;
        j = ej;
      } else {
        if (x != y) {
          return Character.compare(x, y);
        }
        i++;
        j++;
      }
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
