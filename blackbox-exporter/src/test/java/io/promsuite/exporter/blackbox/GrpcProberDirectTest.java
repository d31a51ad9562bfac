package io.promsuite.exporter.blackbox;

import static io.promsuite.exporter.blackbox.DirectProbe.LOOPBACK_V4_HASH;
import static io.promsuite.exporter.blackbox.DirectProbe.OPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.blackbox.prober.GrpcProber;
import io.promsuite.exporter.common.testing.Ports;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GrpcProber called directly (blackbox_exporter's prober/grpc_test.go) against a real gRPC health service (Debian's etcd). */
class GrpcProberDirectTest {
  static final String PLAIN = "prober: grpc\ntimeout: 5s\ngrpc: {tls: false, preferred_ip_protocol: ip4}";
  static EtcdServer etcd;
  final GrpcProber prober = new GrpcProber(OPEN);

  @BeforeAll
  static void start() throws Exception {
    etcd = new EtcdServer(null);
  }

  @AfterAll
  static void stop() throws Exception {
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void servingServerWritesStatusZeroAndTheServingStatus() throws Exception {
    DirectProbe p = DirectProbe.run(prober, PLAIN, etcd.target()).assertSuccess(true);
    assertEquals(Set.of("probe_dns_lookup_time_seconds", "probe_grpc_duration_seconds", "probe_grpc_healthcheck_response",
        "probe_grpc_ssl", "probe_grpc_status_code", "probe_ip_addr_hash", "probe_ip_protocol",
        "probe_ssl_earliest_cert_expiry"), p.families());
    assertEquals(0, p.value("probe_grpc_status_code"), "gRPC OK");
    assertEquals(0, p.value("probe_grpc_ssl"));
    assertEquals(0, p.value("probe_ssl_earliest_cert_expiry"), "no certificate in clear text");
    assertEquals(Map.of("UNKNOWN", 0.0, "SERVING", 1.0, "NOT_SERVING", 0.0, "SERVICE_UNKNOWN", 0.0),
        p.byLabel("probe_grpc_healthcheck_response", "serving_status"));
    assertEquals(4, p.value("probe_ip_protocol"));
    assertEquals(LOOPBACK_V4_HASH, p.value("probe_ip_addr_hash"));
    p.assertPhases("probe_grpc_duration_seconds", "resolve", "check");
    assertTrue(p.value("probe_grpc_duration_seconds", "phase", "check") > 0);
  }

  @Test
  void unknownServiceIsNotFound() throws Exception {
    String module = "prober: grpc\ntimeout: 5s\ngrpc: {tls: false, service: no.such.Service, preferred_ip_protocol: ip4}";
    DirectProbe p = DirectProbe.run(prober, module, etcd.target()).assertSuccess(false);
    assertEquals(5, p.value("probe_grpc_status_code"), "gRPC NOT_FOUND");
    assertEquals(0, p.value("probe_grpc_healthcheck_response", "serving_status", "SERVING"));
  }

  @Test
  void closedPortIsUnavailable() throws Exception {
    DirectProbe p = DirectProbe.run(prober, PLAIN, "127.0.0.1:" + Ports.free()).assertSuccess(false);
    assertEquals(14, p.value("probe_grpc_status_code"), "gRPC UNAVAILABLE");
  }
}
