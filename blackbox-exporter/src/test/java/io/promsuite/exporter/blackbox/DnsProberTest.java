package io.promsuite.exporter.blackbox;

import static io.promsuite.exporter.blackbox.ExporterUnderTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dns prober against a real dnsmasq with A/AAAA/CNAME/MX/TXT/SRV records, over UDP and TCP. */
class DnsProberTest {
  static DnsmasqServer dns;
  static ExporterUnderTest exporter;

  @BeforeAll
  static void start() throws Exception {
    dns = new DnsmasqServer();
    exporter = new ExporterUnderTest(config());
  }

  static String config() {
    return """
        modules:
          dns_a:
            prober: dns
            timeout: 5s
            dns:
              query_name: host.test
              query_type: A
              validate_answer_rrs:
                fail_if_not_matches_regexp: ["^host\\\\.test\\\\.\\t\\\\d+\\tIN\\tA\\t192\\\\.0\\\\.2\\\\.10$"]
          dns_a_tcp:
            prober: dns
            timeout: 5s
            dns:
              query_name: host.test
              query_type: A
              transport_protocol: tcp
          dns_aaaa:
            prober: dns
            dns: {query_name: host.test, query_type: AAAA, preferred_ip_protocol: ip4}
          dns_cname:
            prober: dns
            dns: {query_name: alias.test, query_type: A}
          dns_mx:
            prober: dns
            dns:
              query_name: mail.test
              query_type: MX
              validate_answer_rrs:
                fail_if_none_matches_regexp: ["MX\\t10 mx1\\\\.mail\\\\.test\\\\.$"]
          dns_txt:
            prober: dns
            dns: {query_name: txt.test, query_type: TXT}
          dns_srv:
            prober: dns
            dns: {query_name: _http._tcp.srv.test, query_type: SRV}
          dns_multi_forbidden:
            prober: dns
            dns:
              query_name: multi.test
              query_type: A
              validate_answer_rrs:
                fail_if_matches_regexp: ["192\\\\.0\\\\.2\\\\.22"]
          dns_multi_all:
            prober: dns
            dns:
              query_name: multi.test
              query_type: A
              validate_answer_rrs:
                fail_if_all_match_regexp: ["192\\\\.0\\\\.2\\\\.2[12]"]
          dns_nxdomain_ok:
            prober: dns
            dns: {query_name: missing.test, query_type: A, valid_rcodes: [NXDOMAIN]}
          dns_nxdomain:
            prober: dns
            dns: {query_name: missing.test, query_type: A}
        """;
  }

  @AfterAll
  static void stop() throws Exception {
    if (exporter != null) {
      exporter.close();
    }
    if (dns != null) {
      dns.close();
    }
  }

  @Test
  void aRecordOverUdpIsValidatedAndCounted() throws Exception {
    Exposition e = exporter.probe("dns_a", dns.target());
    assertEquals(1, value(e, "probe_success"), exporter.why("dns_a", dns.target()));
    assertEquals(1, value(e, "probe_dns_answer_rrs"));
    assertEquals(0, value(e, "probe_dns_authority_rrs"));
    assertEquals(0, value(e, "probe_dns_additional_rrs"));
    assertEquals(1, value(e, "probe_dns_query_succeeded"));
    for (String phase : new String[] {"resolve", "connect", "request"}) {
      assertTrue(e.value("probe_dns_duration_seconds", Map.of("phase", phase)) >= 0, phase);
    }
    assertTrue(e.value("probe_dns_duration_seconds", Map.of("phase", "request")) > 0);
  }

  @Test
  void aRecordOverTcp() throws Exception {
    Exposition e = exporter.probe("dns_a_tcp", dns.target());
    assertEquals(1, value(e, "probe_success"), exporter.why("dns_a_tcp", dns.target()));
    assertEquals(1, value(e, "probe_dns_answer_rrs"));
  }

  @Test
  void otherRecordTypesAreCounted() throws Exception {
    assertEquals(1, value(exporter.probe("dns_aaaa", dns.target()), "probe_dns_answer_rrs"));
    assertEquals(2, value(exporter.probe("dns_cname", dns.target()), "probe_dns_answer_rrs"), "CNAME and its A");
    Exposition mx = exporter.probe("dns_mx", dns.target());
    assertEquals(2, value(mx, "probe_dns_answer_rrs"));
    assertEquals(1, value(mx, "probe_success"), exporter.why("dns_mx", dns.target()));
    assertEquals(1, value(exporter.probe("dns_txt", dns.target()), "probe_dns_answer_rrs"));
    Exposition srv = exporter.probe("dns_srv", dns.target());
    assertEquals(1, value(srv, "probe_dns_answer_rrs"));
    assertEquals(1, value(srv, "probe_success"));
  }

  @Test
  void answerValidatorsFailTheProbe() throws Exception {
    Exposition forbidden = exporter.probe("dns_multi_forbidden", dns.target());
    assertEquals(2, value(forbidden, "probe_dns_answer_rrs"));
    assertEquals(0, value(forbidden, "probe_success"));
    // blackbox_exporter's fail_if_all_match_regexp passes when every record matches.
    assertEquals(1, value(exporter.probe("dns_multi_all", dns.target()), "probe_success"));
  }

  @Test
  void rcodeMustBeValid() throws Exception {
    Exposition nx = exporter.probe("dns_nxdomain", dns.target());
    assertEquals(0, value(nx, "probe_success"));
    assertEquals(1, value(nx, "probe_dns_query_succeeded"));
    assertEquals(1, value(exporter.probe("dns_nxdomain_ok", dns.target()), "probe_success"));
  }

  @Test
  void unreachableServerTimesOut() throws Exception {
    Exposition e = exporter.probe("dns_a", "127.0.0.1:" + io.promsuite.exporter.common.testing.Ports.free());
    assertEquals(0, value(e, "probe_success"));
    assertEquals(0, value(e, "probe_dns_query_succeeded"));
  }
}
