package io.promsuite.exporter.common.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Values and le/quantile labels as client_golang writes them (Go's strconv 'g', shortest precision). */
class GoFloatTest {
  @Test
  void floatsAreFormattedAsGoFormatsThem() {
    assertEquals("1", GoFloat.format(1));
    assertEquals("0", GoFloat.format(0));
    assertEquals("-1", GoFloat.format(-1));
    assertEquals("200", GoFloat.format(200));
    assertEquals("1.1", GoFloat.format(1.1));
    assertEquals("335", GoFloat.format(335));
    assertEquals("0.001431642", GoFloat.format(0.001431642));
    assertEquals("1.4181e-05", GoFloat.format(1.4181e-05));
    assertEquals("3.668918509e+09", GoFloat.format(3668918509.0));
    assertEquals("-6.21355968e+10", GoFloat.format(-62135596800.0));
    assertEquals("100000", GoFloat.format(100000));
    assertEquals("1e+06", GoFloat.format(1e6));
    assertEquals("NaN", GoFloat.format(Double.NaN));
    assertEquals("+Inf", GoFloat.format(Double.POSITIVE_INFINITY));
    assertEquals("-Inf", GoFloat.format(Double.NEGATIVE_INFINITY));
    assertEquals("-0", GoFloat.format(-0.0));
    assertEquals("0.005", GoFloat.format(0.005));
    assertEquals("2.5e+06", GoFloat.format(2.5e6));
  }
}
