package io.promsuite.exporter.common.config.http;

import java.util.List;

/** {@code tls_config}: CA, client certificate, server name, verification, protocol versions. */
public record TlsConfig(String caFile, String certFile, String keyFile, String serverName,
    Boolean insecureSkipVerify, String minVersion, String maxVersion) {
  public static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");
  public static final TlsConfig DEFAULT = new TlsConfig(null, null, null, null, null, null, null);

  public TlsConfig {
    caFile = caFile == null ? "" : caFile;
    certFile = certFile == null ? "" : certFile;
    keyFile = keyFile == null ? "" : keyFile;
    serverName = serverName == null ? "" : serverName;
    insecureSkipVerify = insecureSkipVerify != null && insecureSkipVerify;
    minVersion = minVersion == null ? "" : minVersion;
    maxVersion = maxVersion == null ? "" : maxVersion;
    for (String v : new String[] {minVersion, maxVersion}) {
      if (!v.isEmpty() && !VERSIONS.contains(v)) {
        throw new IllegalArgumentException("unknown TLS version '" + v + "'; accepted: " + String.join(", ", VERSIONS));
      }
    }
    if (certFile.isEmpty() != keyFile.isEmpty()) {
      throw new IllegalArgumentException("cert_file and key_file must be given together");
    }
  }
}
