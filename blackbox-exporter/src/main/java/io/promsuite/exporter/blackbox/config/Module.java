package io.promsuite.exporter.blackbox.config;

import java.time.Duration;
import java.util.List;

/**
 * One named module of blackbox.yml: which prober runs, its timeout, and that prober's section.
 * Sections of other probers may be present (blackbox_exporter allows it) and are ignored.
 */
public record Module(String prober, Duration timeout, HttpProbe http, TcpProbe tcp, IcmpProbe icmp, DnsProbe dns,
    GrpcProbe grpc) {
  public static final List<String> PROBERS = List.of("http", "tcp", "dns", "icmp", "grpc");

  public Module {
    if (prober == null || prober.isEmpty()) {
      throw new IllegalArgumentException("prober must be set; accepted: " + String.join(", ", PROBERS));
    }
    if (!PROBERS.contains(prober)) {
      throw new IllegalArgumentException("unknown prober '" + prober + "'; accepted: " + String.join(", ", PROBERS));
    }
    timeout = timeout == null ? Duration.ZERO : timeout;
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative");
    }
    http = http == null ? HttpProbe.DEFAULT : http;
    tcp = tcp == null ? TcpProbe.DEFAULT : tcp;
    icmp = icmp == null ? IcmpProbe.DEFAULT : icmp;
    grpc = grpc == null ? GrpcProbe.DEFAULT : grpc;
    if (prober.equals("dns") && dns == null) {
      throw new IllegalArgumentException("a dns module needs a dns: section with query_name");
    }
  }
}
