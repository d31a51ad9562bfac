package io.promsuite.exporter.host;

import java.util.Locale;

/**
 * Go's strconv number syntax, which node_exporter's readers accept and Java's parsers do not
 * quite match (Java takes "12d", " 12" and "+-1" forms Go refuses; Go takes 0x/0o/0b prefixes).
 */
final class GoNumbers {
  private GoNumbers() {}

  /** Go's strconv.ParseInt(s, 0, 64): optional sign, 0x/0o/0b/leading-0 prefixes; null when invalid. */
  static Long parseInt(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    boolean negative = s.charAt(0) == '-';
    String digits = s.charAt(0) == '-' || s.charAt(0) == '+' ? s.substring(1) : s;
    int radix = 10;
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      char p = Character.toLowerCase(digits.charAt(1));
      if (p == 'x' || p == 'o' || p == 'b') {
        radix = p == 'x' ? 16 : p == 'o' ? 8 : 2;
        digits = digits.substring(2);
      } else {
        radix = 8;
        digits = digits.substring(1);
      }
    }
    if (digits.isEmpty() || digits.charAt(0) == '-' || digits.charAt(0) == '+') {
      return null;
    }
    try {
      return Long.parseLong(negative ? "-" + digits : digits, radix);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Go's strconv.ParseUint(s, 0, 64) as the unsigned bits of a long; null when invalid. */
  static Long parseUint(String s) {
    if (s == null || s.isEmpty() || s.charAt(0) == '-' || s.charAt(0) == '+') {
      return null;
    }
    String digits = s;
    int radix = 10;
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      char p = Character.toLowerCase(digits.charAt(1));
      radix = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 8;
      digits = digits.substring(p == 'x' || p == 'o' || p == 'b' ? 2 : 1);
    }
    if (digits.isEmpty() || digits.charAt(0) == '-' || digits.charAt(0) == '+') {
      return null;
    }
    try {
      return Long.parseUnsignedLong(digits, radix);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Go's strconv.ParseUint(s, 10, 64) as a double (values above 2^63 survive); null when invalid. */
  static Double parseUint10(String s) {
    if (s == null || s.isEmpty() || s.charAt(0) == '-' || s.charAt(0) == '+') {
      return null;
    }
    try {
      long v = Long.parseUnsignedLong(s);
      return v < 0 ? v + 0x1p64 : (double) v;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Go's strconv.ParseFloat: no surrounding blanks, no Java type suffix; inf and nan in any case. */
  static Double parseFloat(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    char last = s.charAt(s.length() - 1);
    if (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(last) || "dDfF".indexOf(last) >= 0
        && !s.toLowerCase(Locale.ROOT).endsWith("inf")) {
      return null;
    }
    String body = s.charAt(0) == '+' || s.charAt(0) == '-' ? s.substring(1) : s;
    double sign = s.charAt(0) == '-' ? -1 : 1;
    switch (body.toLowerCase(Locale.ROOT)) {
      case "inf", "infinity" -> {
        return sign * Double.POSITIVE_INFINITY;
      }
      case "nan" -> {
        return Double.NaN;
      }
      default -> { }
    }
    if (body.isEmpty() || body.charAt(0) == '+' || body.charAt(0) == '-' || body.indexOf('_') >= 0) {
      return null;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
