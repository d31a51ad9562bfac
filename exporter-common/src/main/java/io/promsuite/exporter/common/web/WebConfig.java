package io.promsuite.exporter.common.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.promsuite.exporter.common.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Go exporters' web configuration file (prometheus/exporter-toolkit): TLS, HTTP headers and
 * bcrypt basic-auth users. The same file works for node_exporter and for us.
 */
public record WebConfig(
    @JsonProperty("tls_server_config") TlsServerConfig tlsServerConfig,
    @JsonProperty("http_server_config") HttpServerConfig httpServerConfig,
    @JsonProperty("basic_auth_users") Map<String, String> basicAuthUsers) {

  public static final WebConfig NONE = new WebConfig(null, null, null);

  /** exporter-toolkit's {@code tls_server_config}. */
  public record TlsServerConfig(
      @JsonProperty("cert_file") String certFile,
      @JsonProperty("key_file") String keyFile,
      @JsonProperty("client_auth_type") String clientAuthType,
      @JsonProperty("client_ca_file") String clientCaFile,
      @JsonProperty("min_version") String minVersion,
      @JsonProperty("max_version") String maxVersion,
      @JsonProperty("cipher_suites") List<String> cipherSuites,
      @JsonProperty("curve_preferences") List<String> curvePreferences,
      @JsonProperty("prefer_server_cipher_suites") Boolean preferServerCipherSuites,
      @JsonProperty("client_allowed_sans") List<String> clientAllowedSans) {

    static final Set<String> CLIENT_AUTH_TYPES = Set.of("NoClientCert", "RequestClientCert",
        "RequireAnyClientCert", "VerifyClientCertIfGiven", "RequireAndVerifyClientCert");

    public TlsServerConfig {
      if (certFile == null || certFile.isEmpty()) {
        throw new IllegalArgumentException("missing cert_file");
      }
      if (keyFile == null || keyFile.isEmpty()) {
        throw new IllegalArgumentException("missing key_file");
      }
      if (clientAuthType == null || clientAuthType.isEmpty()) {
        clientAuthType = "NoClientCert";
      }
      if (!CLIENT_AUTH_TYPES.contains(clientAuthType)) {
        throw new IllegalArgumentException("invalid client_auth_type '" + clientAuthType + "' (accepted: "
            + String.join(", ", CLIENT_AUTH_TYPES.stream().sorted().toList()) + ")");
      }
      if (clientCaFile != null && !clientCaFile.isEmpty() && clientAuthType.equals("NoClientCert")) {
        throw new IllegalArgumentException("client_ca_file is set but client_auth_type is NoClientCert");
      }
      if (clientAuthType.equals("RequireAndVerifyClientCert") && (clientCaFile == null || clientCaFile.isEmpty())) {
        throw new IllegalArgumentException("client_auth_type RequireAndVerifyClientCert needs client_ca_file");
      }
      TlsVersions.protocol(minVersion == null ? "TLS12" : minVersion);
      if (maxVersion != null) {
        TlsVersions.protocol(maxVersion);
      }
      cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
      curvePreferences = curvePreferences == null ? List.of() : List.copyOf(curvePreferences);
      clientAllowedSans = clientAllowedSans == null ? List.of() : List.copyOf(clientAllowedSans);
    }
  }

  /** exporter-toolkit's {@code http_server_config}. */
  public record HttpServerConfig(
      @JsonProperty("http2") Boolean http2,
      @JsonProperty("headers") Map<String, String> headers) {

    // The headers exporter-toolkit lets a web config set.
    static final Set<String> ALLOWED_HEADERS = Set.of("Strict-Transport-Security", "X-Content-Type-Options",
        "X-Frame-Options", "X-XSS-Protection", "Content-Security-Policy");

    public HttpServerConfig {
      headers = headers == null ? Map.of() : Map.copyOf(headers);
      for (String h : headers.keySet()) {
        if (ALLOWED_HEADERS.stream().noneMatch(a -> a.equalsIgnoreCase(h))) {
          throw new IllegalArgumentException("HTTP header '" + h + "' can not be configured (accepted: "
              + String.join(", ", ALLOWED_HEADERS.stream().sorted().toList()) + ")");
        }
      }
    }
  }

  public WebConfig {
    basicAuthUsers = basicAuthUsers == null ? Map.of() : Map.copyOf(basicAuthUsers);
    for (Map.Entry<String, String> u : basicAuthUsers.entrySet()) {
      String hash = u.getValue();
      if (hash == null || !hash.matches("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
        throw new IllegalArgumentException("password of user '" + u.getKey()
            + "' is not a bcrypt hash ($2a$, $2b$ or $2y$; make one with htpasswd -nBC 10 \"\" | tr -d ':\\n')");
      }
    }
  }

  /** Loads a web config; file-relative paths in it are resolved against the file's directory. */
  public static WebConfig load(Path file) throws ConfigException {
    WebConfig c = WebConfigReader.read(file);
    if (c.tlsServerConfig() != null) {
      Path dir = file.toAbsolutePath().getParent();
      TlsServerConfig t = c.tlsServerConfig();
      t = new TlsServerConfig(resolve(dir, t.certFile()), resolve(dir, t.keyFile()), t.clientAuthType(),
          resolve(dir, t.clientCaFile()), t.minVersion(), t.maxVersion(), t.cipherSuites(),
          t.curvePreferences(), t.preferServerCipherSuites(), t.clientAllowedSans());
      c = new WebConfig(t, c.httpServerConfig(), c.basicAuthUsers());
    }
    return c;
  }

  private static String resolve(Path dir, String p) {
    return p == null || p.isEmpty() ? p : dir.resolve(p).toString();
  }

  public Map<String, String> headers() {
    return httpServerConfig == null ? Map.of() : httpServerConfig.headers();
  }
}
