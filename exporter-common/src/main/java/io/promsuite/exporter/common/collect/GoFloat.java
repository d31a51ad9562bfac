package io.promsuite.exporter.common.collect;

import java.math.BigDecimal;

/**
 * Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}, as client_golang writes values and le/quantile
 * labels: {@code 1}, {@code 0.0014}, {@code 1.4181e-05}, {@code 3.668918509e+09}, {@code +Inf}.
 */
public final class GoFloat {
  private GoFloat() {}

  public static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    // Java's Double.toString is the shortest representation that round-trips, as Go's -1 precision.
    BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int exp = digits.length() - 1 - d.scale();
    StringBuilder out = new StringBuilder(24);
    if (v < 0) {
      out.append('-');
    }
    // Go switches to the exponent form below 1e-4 and, for the shortest precision, from 1e6 on.
    if (exp < -4 || exp >= 6) {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      out.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        out.append('0');
      }
      return out.append(a).toString();
    }
    return out.append(d.toPlainString()).toString();
  }
}
