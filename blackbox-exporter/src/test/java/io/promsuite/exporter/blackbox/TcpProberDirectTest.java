package io.promsuite.exporter.blackbox;

import static io.promsuite.exporter.blackbox.DirectProbe.LOOPBACK_V4_HASH;
import static io.promsuite.exporter.blackbox.DirectProbe.OPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.blackbox.prober.TcpProber;
import io.promsuite.exporter.common.testing.Ports;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TcpProber called directly (blackbox_exporter's prober/tcp_test.go) against servers on loopback. */
class TcpProberDirectTest {
  static final Set<String> RESOLVER_AND_REGEX = Set.of("probe_dns_lookup_time_seconds", "probe_failed_due_to_regex",
      "probe_ip_addr_hash", "probe_ip_protocol");
  static TestServers servers;
  final TcpProber prober = new TcpProber(OPEN);

  @BeforeAll
  static void certs() throws Exception {
    servers = TestServers.get();
  }

  @Test
  void connectionToAListeningPortSucceedsAndWritesOnlyResolverAndRegexGauges() throws Exception {
    try (BannerServer s = new BannerServer(List.of(), null, false)) {
      DirectProbe p = DirectProbe.run(prober, "prober: tcp", s.target()).assertSuccess(true);
      assertEquals(RESOLVER_AND_REGEX, p.families());
      assertEquals(0, p.value("probe_failed_due_to_regex"));
      assertEquals(4, p.value("probe_ip_protocol"));
      assertEquals(LOOPBACK_V4_HASH, p.value("probe_ip_addr_hash"));
      assertTrue(p.value("probe_dns_lookup_time_seconds") >= 0);
      assertTrue(p.log().text().contains("msg=\"Successfully dialed\""), p.log().text());
    }
  }

  @Test
  void refusedConnectionFailsWithTheDialErrorInTheLog() throws Exception {
    DirectProbe p = DirectProbe.run(prober, "prober: tcp", "127.0.0.1:" + Ports.free()).assertSuccess(false);
    assertEquals(RESOLVER_AND_REGEX, p.families());
    assertEquals(0, p.value("probe_failed_due_to_regex"), "a refused connection is no regex failure");
    assertEquals(4, p.value("probe_ip_protocol"));
    assertTrue(p.log().text().contains("level=error msg=\"Error dialing TCP\" err="), p.log().text());
  }

  @Test
  void targetWithoutPortFailsBeforeResolving() throws Exception {
    DirectProbe p = DirectProbe.run(prober, "prober: tcp", "127.0.0.1").assertSuccess(false);
    assertEquals(Set.of("probe_failed_due_to_regex"), p.families());
    assertTrue(p.log().text().contains("msg=\"Error splitting target address and port\""), p.log().text());
  }

  @Test
  void queryResponseSendsTheCaptureGroupBack() throws Exception {
    // IRC: the server's PING token comes back in the PONG, through ${1}.
    String module = """
        prober: tcp
        timeout: 5s
        tcp:
          query_response:
            - send: "NICK prober"
            - expect: "^PING :([^ ]+)"
              send: "PONG ${1}"
            - expect: "^:[^ ]+ 001"
        """;
    try (BannerServer s = new BannerServer(List.of("<", ">PING :token42", "<", ">:irc.local 001 prober :Welcome"), null, false)) {
      DirectProbe p = DirectProbe.run(prober, module, s.target()).assertSuccess(true);
      // The server answers 001 only after it read the PONG: both lines are in when the probe returns.
      assertEquals(List.of("NICK prober", "PONG token42"), s.received);
      assertEquals(0, p.value("probe_failed_due_to_regex"));
    }
  }

  @Test
  void unmatchedExpectSetsFailedDueToRegex() throws Exception {
    String module = """
        prober: tcp
        timeout: 5s
        tcp:
          query_response:
            - expect: "^SSH-2.0-"
        """;
    try (BannerServer s = new BannerServer(List.of(">220 smtp.local ESMTP", "CLOSE"), null, false)) {
      DirectProbe p = DirectProbe.run(prober, module, s.target()).assertSuccess(false);
      assertEquals(1, p.value("probe_failed_due_to_regex"));
      assertTrue(p.log().text().contains("msg=\"Regexp did not match\" regexp=^SSH-2.0- line="), p.log().text());
    }
  }

  @Test
  void starttlsReportsTheServersCertificate() throws Exception {
    String module = """
        prober: tcp
        timeout: 5s
        tcp:
          query_response:
            - expect: "^220 "
            - send: "STARTTLS"
            - expect: "^220 "
              starttls: true
            - expect: "^250 "
          tls_config: {ca_file: %s}
        """.formatted(servers.certs.caFile);
    try (BannerServer s = new BannerServer(List.of(">220 smtp ready", "<", ">220 go ahead", "TLS", ">250 ok"),
        servers.certs.valid.serverContext(), false)) {
      DirectProbe p = DirectProbe.run(prober, module, s.target()).assertSuccess(true);
      Set<String> tls = new java.util.TreeSet<>(RESOLVER_AND_REGEX);
      tls.addAll(Set.of("probe_ssl_earliest_cert_expiry", "probe_ssl_last_chain_expiry_timestamp_seconds",
          "probe_ssl_last_chain_info", "probe_tls_cipher_info", "probe_tls_version_info"));
      assertEquals(tls, p.families());
      double notAfter = servers.certs.valid.leaf().getNotAfter().getTime() / 1000;
      assertEquals(notAfter, p.value("probe_ssl_earliest_cert_expiry"));
      assertEquals(1, p.value("probe_tls_version_info", "version", "TLS 1.3"));
      assertEquals(List.of("STARTTLS"), s.received);
    }
  }
}
