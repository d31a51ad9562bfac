package io.promsuite.exporter.blackbox.prober;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A probe log's err values say what went wrong without Java exception class names. */
class ProbeLogTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      (certificate_unknown) PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path | (certificate_unknown) PKIX path building failed: unable to find valid certification path
      java.lang.IllegalArgumentException: Unexpected char 0x0d at 1 in Host value | Unexpected char 0x0d at 1 in Host value
      IllegalStateException: boom                                                   | boom
      java.net.SocketTimeoutException                                               | failed
      Connection refused                                                            | Connection refused
      x509: certificate signed by unknown authority                                 | x509: certificate signed by unknown authority
      """)
  void errValuesLoseClassNames(String err, String expected) {
    assertEquals(expected, ProbeLog.withoutClassNames(err));
  }

  @Test
  void onlyErrValuesAreRewritten() {
    ProbeLog log = new ProbeLog("m", "t");
    log.error("Error dialing TCP", "err", "javax.net.ssl.SSLHandshakeException: Remote host terminated the handshake");
    log.info("Regexp matched", "regexp", "NullPointerException: x");
    String text = log.text();
    assertTrue(text.contains("err=\"Remote host terminated the handshake\""), text);
    assertFalse(text.contains("SSLHandshakeException"), text);
    assertTrue(text.contains("regexp=\"NullPointerException: x\""), text);
  }
}
