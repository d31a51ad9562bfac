package io.promsuite.exporter.common.web;

import java.util.ArrayList;
import java.util.List;

/** exporter-toolkit's TLS version names (TLS10..TLS13) and their JSSE protocol names. */
final class TlsVersions {
  private static final List<String> GO = List.of("TLS10", "TLS11", "TLS12", "TLS13");
  private static final List<String> JSSE = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  private TlsVersions() {}

  static String protocol(String goName) {
    int i = GO.indexOf(goName);
    if (i < 0) {
      throw new IllegalArgumentException("unknown TLS version '" + goName + "' (accepted: TLS10, TLS11, TLS12, TLS13)");
    }
    return JSSE.get(i);
  }

  /** JSSE protocols from {@code min} to {@code max} inclusive. */
  static String[] between(String min, String max) {
    int lo = GO.indexOf(min == null ? "TLS12" : min);
    int hi = GO.indexOf(max == null ? "TLS13" : max);
    List<String> out = new ArrayList<>();
    for (int i = lo; i <= hi; i++) {
      out.add(JSSE.get(i));
    }
    return out.toArray(String[]::new);
  }
}
