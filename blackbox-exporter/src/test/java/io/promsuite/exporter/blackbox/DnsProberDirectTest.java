package io.promsuite.exporter.blackbox;

import static io.promsuite.exporter.blackbox.DirectProbe.OPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.blackbox.prober.DnsProber;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DnsProber called directly (blackbox_exporter's prober/dns_test.go) against a real dnsmasq on loopback. */
class DnsProberDirectTest {
  static final Set<String> DNS_FAMILIES = Set.of("probe_dns_additional_rrs", "probe_dns_answer_rrs",
      "probe_dns_authority_rrs", "probe_dns_duration_seconds", "probe_dns_lookup_time_seconds",
      "probe_dns_query_succeeded", "probe_ip_addr_hash", "probe_ip_protocol");
  static DnsmasqServer dns;
  final DnsProber prober = new DnsProber(OPEN);

  @BeforeAll
  static void start() throws Exception {
    dns = new DnsmasqServer();
  }

  @AfterAll
  static void stop() {
    if (dns != null) {
      dns.close();
    }
  }

  @Test
  void aRecordOverUdpCountsTheSectionsAndValidatesTheAnswer() throws Exception {
    String module = """
        prober: dns
        timeout: 5s
        dns:
          query_name: host.test
          query_type: A
          validate_answer_rrs:
            fail_if_not_matches_regexp: ["^host\\\\.test\\\\.\\t\\\\d+\\tIN\\tA\\t192\\\\.0\\\\.2\\\\.10$"]
        """;
    DirectProbe p = DirectProbe.run(prober, module, dns.target()).assertSuccess(true);
    assertEquals(DNS_FAMILIES, p.families());
    assertEquals(1, p.value("probe_dns_query_succeeded"));
    assertEquals(1, p.value("probe_dns_answer_rrs"));
    assertEquals(0, p.value("probe_dns_authority_rrs"));
    assertEquals(0, p.value("probe_dns_additional_rrs"));
    assertEquals(4, p.value("probe_ip_protocol"));
    p.assertPhases("probe_dns_duration_seconds", "resolve", "connect", "request");
    assertTrue(p.log().text().contains("dial_protocol=udp4"), p.log().text());
  }

  @Test
  void twoAddressesOverTcp() throws Exception {
    String module = """
        prober: dns
        timeout: 5s
        dns: {query_name: multi.test, query_type: A, transport_protocol: tcp}
        """;
    DirectProbe p = DirectProbe.run(prober, module, dns.target()).assertSuccess(true);
    assertEquals(2, p.value("probe_dns_answer_rrs"));
    assertTrue(p.log().text().contains("dial_protocol=tcp4"), p.log().text());
  }

  @Test
  void nxdomainFailsUnlessItIsAValidRcode() throws Exception {
    DirectProbe p = DirectProbe.run(prober, "prober: dns\ntimeout: 5s\ndns: {query_name: nothere.test}", dns.target())
        .assertSuccess(false);
    assertEquals(1, p.value("probe_dns_query_succeeded"), "the query itself was answered");
    assertEquals(0, p.value("probe_dns_answer_rrs"));
    assertTrue(p.log().text().contains("msg=\"Rcode is not one of the valid rcodes\" rcode=3 string_rcode=NXDOMAIN"),
        p.log().text());
    DirectProbe.run(prober, "prober: dns\ntimeout: 5s\ndns: {query_name: nothere.test, valid_rcodes: [NXDOMAIN]}",
        dns.target()).assertSuccess(true);
  }

  @Test
  void answerMatchingAFailIfMatchesRegexpFailsTheProbe() throws Exception {
    String module = """
        prober: dns
        timeout: 5s
        dns:
          query_name: alias.test
          query_type: A
          validate_answer_rrs:
            fail_if_matches_regexp: ["CNAME\\thost\\\\.test\\\\.$"]
        """;
    DirectProbe p = DirectProbe.run(prober, module, dns.target()).assertSuccess(false);
    assertEquals(2, p.value("probe_dns_answer_rrs"), "the CNAME and the A record it points to");
    assertEquals(1, p.value("probe_dns_query_succeeded"));
  }
}
