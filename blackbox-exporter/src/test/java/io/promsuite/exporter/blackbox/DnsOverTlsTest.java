package io.promsuite.exporter.blackbox;

import static io.promsuite.exporter.blackbox.ExporterUnderTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** dns_over_tls against a real DNS-over-TLS server (Debian's unbound) with a certificate made at test time. */
class DnsOverTlsTest {
  static UnboundDotServer dot;
  static ExporterUnderTest exporter;

  @BeforeAll
  static void start() throws Exception {
    TestServers servers = TestServers.get();
    dot = new UnboundDotServer(servers.certs);
    exporter = new ExporterUnderTest("""
        modules:
          dot:
            prober: dns
            timeout: 5s
            dns:
              query_name: host.dot.test
              query_type: A
              transport_protocol: tcp
              dns_over_tls: true
              preferred_ip_protocol: ip4
              tls_config: {ca_file: %1$s}
              validate_answer_rrs: {fail_if_not_matches_regexp: ["host\\\\.dot\\\\.test\\\\.\\\\t300\\\\tIN\\\\tA\\\\t192\\\\.0\\\\.2\\\\.53"]}
          dot_untrusted:
            prober: dns
            timeout: 5s
            dns: {query_name: host.dot.test, transport_protocol: tcp, dns_over_tls: true, preferred_ip_protocol: ip4}
        """.formatted(servers.certs.caFile));
  }

  @AfterAll
  static void stop() throws Exception {
    if (exporter != null) {
      exporter.close();
    }
    if (dot != null) {
      dot.close();
    }
  }

  @Test
  void queryOverTlsIsAnsweredAndTheHandshakeCountsAsConnectTime() throws Exception {
    for (String target : new String[] {dot.target(), dot.namedTarget()}) {
      Exposition e = exporter.probe("dot", target);
      assertEquals(1, value(e, "probe_success"), exporter.why("dot", target));
      assertEquals(1, value(e, "probe_dns_answer_rrs"));
      assertTrue(e.value("probe_dns_duration_seconds", Map.of("phase", "connect")) > 0);
      assertTrue(exporter.debug("dot", target).contains("dial_protocol=tcp4-tls"));
    }
  }

  @Test
  void certificateFromAnUnknownCaFailsTheProbe() throws Exception {
    Exposition e = exporter.probe("dot_untrusted", dot.target());
    assertEquals(0, value(e, "probe_success"));
    assertEquals(0, value(e, "probe_dns_query_succeeded"));
    assertTrue(exporter.debug("dot_untrusted", dot.target()).contains("Error while sending a DNS query"));
  }
}
