package io.promsuite.exporter.blackbox;

import static io.promsuite.exporter.blackbox.ExporterUnderTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.exporter.common.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tcp prober against banner servers started by the test, with the Debian blackbox.yml's dialogues. */
class TcpProberTest {
  static TestServers servers;
  static ExporterUnderTest exporter;

  @BeforeAll
  static void start() throws Exception {
    servers = TestServers.get();
    String debian = Files.readString(Path.of("src/test/resources/debian-blackbox.yml"));
    exporter = new ExporterUnderTest(debian.replace("modules:\n", """
        modules:
          smtp_starttls:
            prober: tcp
            timeout: 5s
            tcp:
              query_response:
                - expect: "^220 "
                - send: "STARTTLS"
                - expect: "^220 "
                  starttls: true
                - expect: "^250 tls ok$"
              tls_config: {ca_file: %1$s}
          tcp_tls:
            prober: tcp
            timeout: 5s
            tcp:
              tls: true
              tls_config: {ca_file: %1$s}
          tcp_never_matches:
            prober: tcp
            timeout: 2s
            tcp:
              query_response:
                - expect: "^NEVER"
        """.formatted(servers.certs.caFile)));
  }

  @AfterAll
  static void stop() throws Exception {
    exporter.close();
  }

  @Test
  void connectSucceedsOnOpenPortAndFailsOnClosedOne() throws Exception {
    try (BannerServer s = new BannerServer(List.of(), null, false)) {
      Exposition e = exporter.probe("tcp_connect", s.target());
      assertEquals(1, value(e, "probe_success"));
      assertEquals(4, value(e, "probe_ip_protocol"));
      assertEquals(0, value(e, "probe_failed_due_to_regex"));
    }
    assertEquals(0, value(exporter.probe("tcp_connect", "127.0.0.1:" + Ports.free()), "probe_success"));
  }

  @Test
  void sshBannerIsExpectedAndAnswered() throws Exception {
    try (BannerServer s = new BannerServer(List.of(">SSH-2.0-OpenSSH_9.2p1 Debian", "<"), null, false)) {
      Exposition e = exporter.probe("ssh_banner", s.target());
      assertEquals(1, value(e, "probe_success"));
      awaitReceived(s, "SSH-2.0-blackbox-ssh-check");
    }
  }

  @Test
  void ircDialogueSendsCaptureGroupBack() throws Exception {
    try (BannerServer s = new BannerServer(List.of("<", "<", ">PING :token42", "<", ">:irc.local 001 prober :Welcome"), null, false)) {
      Exposition e = exporter.probe("irc_banner", s.target());
      assertEquals(1, value(e, "probe_success"), exporter.why("irc_banner", s.target()));
      awaitReceived(s, "PONG token42");
      assertEquals(List.of("NICK prober", "USER prober prober prober :prober", "PONG token42"), s.received);
    }
  }

  @Test
  void unmatchedExpectFailsDueToRegex() throws Exception {
    try (BannerServer s = new BannerServer(List.of(">220 hello", ">221 bye", "CLOSE"), null, false)) {
      Exposition e = exporter.probe("tcp_never_matches", s.target());
      assertEquals(0, value(e, "probe_success"));
      assertEquals(1, value(e, "probe_failed_due_to_regex"));
    }
  }

  @Test
  void starttlsUpgradesAndReportsCertificate() throws Exception {
    try (BannerServer s = new BannerServer(List.of(">220 smtp ready", "<", ">220 go ahead", "TLS", ">250 tls ok"),
        servers.certs.valid.serverContext(), false)) {
      Exposition e = exporter.probe("smtp_starttls", s.target());
      assertEquals(1, value(e, "probe_success"), exporter.why("smtp_starttls", s.target()));
      assertEquals(servers.certs.valid.leaf().getNotAfter().getTime() / 1000, value(e, "probe_ssl_earliest_cert_expiry"));
      assertEquals(List.of("STARTTLS"), s.received);
    }
  }

  @Test
  void tlsFromTheStartVerifiesTheCertificate() throws Exception {
    try (BannerServer ok = new BannerServer(List.of(">hello"), servers.certs.valid.serverContext(), true);
        BannerServer wrong = new BannerServer(List.of(">hello"), servers.certs.wrongHost.serverContext(), true)) {
      Exposition e = exporter.probe("tcp_tls", ok.target());
      assertEquals(1, value(e, "probe_success"));
      assertEquals(1, e.samples("probe_tls_version_info").size());
      assertEquals(0, value(exporter.probe("tcp_tls", wrong.target()), "probe_success"));
    }
  }

  private static void awaitReceived(BannerServer s, String line) {
    Poll.until(Duration.ofSeconds(5), "the server to receive " + line, () -> List.copyOf(s.received), r -> r.contains(line));
  }
}
