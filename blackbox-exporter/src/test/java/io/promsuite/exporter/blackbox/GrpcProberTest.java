package io.promsuite.exporter.blackbox;

import static io.promsuite.exporter.blackbox.ExporterUnderTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Ports;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The grpc prober's health check against a real gRPC server (Debian's etcd), in clear text and over TLS. */
class GrpcProberTest {
  static TestServers servers;
  static EtcdServer plain;
  static EtcdServer tls;
  static ExporterUnderTest exporter;

  @BeforeAll
  static void start() throws Exception {
    servers = TestServers.get();
    plain = new EtcdServer(null);
    tls = new EtcdServer(servers.certs.valid);
    exporter = new ExporterUnderTest("""
        modules:
          grpc_plain:
            prober: grpc
            timeout: 5s
            grpc: {tls: false, preferred_ip_protocol: ip4}
          grpc_unknown_service:
            prober: grpc
            timeout: 5s
            grpc: {tls: false, service: no.such.Service, preferred_ip_protocol: ip4}
          grpc_tls:
            prober: grpc
            timeout: 5s
            grpc: {tls: true, preferred_ip_protocol: ip4, tls_config: {ca_file: %s}}
          grpc_tls_untrusted:
            prober: grpc
            timeout: 5s
            grpc: {tls: true, preferred_ip_protocol: ip4}
        """.formatted(servers.certs.caFile));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {exporter, plain, tls}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void servingServerSucceeds() throws Exception {
    Exposition e = exporter.probe("grpc_plain", plain.target());
    assertEquals(1, value(e, "probe_success"), exporter.why("grpc_plain", plain.target()));
    assertEquals(0, value(e, "probe_grpc_status_code"));
    assertEquals(0, value(e, "probe_grpc_ssl"));
    assertEquals(1, e.value("probe_grpc_healthcheck_response", Map.of("serving_status", "SERVING")));
    assertEquals(0, e.value("probe_grpc_healthcheck_response", Map.of("serving_status", "NOT_SERVING")));
    assertTrue(e.value("probe_grpc_duration_seconds", Map.of("phase", "check")) > 0);
  }

  @Test
  void unknownServiceFailsWithNotFound() throws Exception {
    Exposition e = exporter.probe("grpc_unknown_service", plain.target());
    assertEquals(0, value(e, "probe_success"));
    assertEquals(5, value(e, "probe_grpc_status_code"), "gRPC NOT_FOUND");
  }

  @Test
  void tlsServerReportsCertificateAndFailsWhenUntrusted() throws Exception {
    Exposition e = exporter.probe("grpc_tls", tls.target());
    assertEquals(1, value(e, "probe_success"), () -> exporter.why("grpc_tls", tls.target()).get() + "\netcd:\n" + tls.process.output());
    assertEquals(1, value(e, "probe_grpc_ssl"));
    assertEquals(servers.certs.valid.leaf().getNotAfter().getTime() / 1000, value(e, "probe_ssl_earliest_cert_expiry"));
    assertEquals(0, value(exporter.probe("grpc_tls_untrusted", tls.target()), "probe_success"));
  }

  @Test
  void closedPortIsUnavailable() throws Exception {
    Exposition e = exporter.probe("grpc_plain", "127.0.0.1:" + Ports.free());
    assertEquals(0, value(e, "probe_success"));
    assertEquals(14, value(e, "probe_grpc_status_code"), "gRPC UNAVAILABLE");
  }
}
