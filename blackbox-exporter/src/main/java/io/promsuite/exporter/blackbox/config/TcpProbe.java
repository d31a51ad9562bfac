package io.promsuite.exporter.blackbox.config;

import io.promsuite.exporter.common.config.http.TlsConfig;
import java.util.List;

/** The {@code tcp:} section: connect, optional TLS, and a send/expect dialogue. */
public record TcpProbe(String preferredIpProtocol, Boolean ipProtocolFallback, String sourceIpAddress,
    List<QueryResponse> queryResponse, Boolean tls, TlsConfig tlsConfig) {
  public static final TcpProbe DEFAULT = new TcpProbe(null, null, null, null, null, null);

  public TcpProbe {
    preferredIpProtocol = IpProtocol.check(preferredIpProtocol);
    ipProtocolFallback = ipProtocolFallback == null || ipProtocolFallback;
    sourceIpAddress = SourceAddress.check(sourceIpAddress);
    queryResponse = queryResponse == null ? List.of() : List.copyOf(queryResponse);
    tls = tls != null && tls;
    tlsConfig = tlsConfig == null ? TlsConfig.DEFAULT : tlsConfig;
  }
}
