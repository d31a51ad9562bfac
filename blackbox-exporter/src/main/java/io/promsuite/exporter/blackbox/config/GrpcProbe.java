package io.promsuite.exporter.blackbox.config;

import io.promsuite.exporter.common.config.http.TlsConfig;

/** The {@code grpc:} section: a gRPC health check of {@code service}, with or without TLS. */
public record GrpcProbe(String service, Boolean tls, TlsConfig tlsConfig, Boolean ipProtocolFallback,
    String preferredIpProtocol) {
  public static final GrpcProbe DEFAULT = new GrpcProbe(null, null, null, null, null);

  public GrpcProbe {
    service = service == null ? "" : service;
    tls = tls != null && tls;
    tlsConfig = tlsConfig == null ? TlsConfig.DEFAULT : tlsConfig;
    ipProtocolFallback = ipProtocolFallback == null || ipProtocolFallback;
    preferredIpProtocol = IpProtocol.check(preferredIpProtocol);
  }
}
