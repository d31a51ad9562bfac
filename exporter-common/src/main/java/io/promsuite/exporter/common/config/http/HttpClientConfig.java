package io.promsuite.exporter.common.config.http;

import io.promsuite.exporter.common.config.YamlConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Prometheus' common HTTP client config: credentials (at most one of {@code basic_auth},
 * {@code authorization}, {@code oauth2}, {@code bearer_token}/{@code bearer_token_file}),
 * {@code tls_config}, {@code proxy_url}, {@code follow_redirects} and {@code enable_http2} (both on
 * unless set). Its keys sit in the mapping of the record that holds it ({@link YamlConfig.Inline}), as in
 * Prometheus' scrape configs and blackbox_exporter's modules; an exporter may also build it from the
 * subset of keys it accepts.
 */
public record HttpClientConfig(BasicAuth basicAuth, Secret bearerToken, String bearerTokenFile, Authorization authorization,
    OAuth2 oauth2, TlsConfig tlsConfig, String proxyUrl, Boolean followRedirects, Boolean enableHttp2)
    implements YamlConfig.Inline {
  public static final HttpClientConfig DEFAULT = new HttpClientConfig(null, null, null, null, null, null, null, null, null);

  public HttpClientConfig {
    bearerToken = bearerToken == null ? Secret.NONE : bearerToken;
    bearerTokenFile = bearerTokenFile == null ? "" : bearerTokenFile;
    tlsConfig = tlsConfig == null ? TlsConfig.DEFAULT : tlsConfig;
    proxyUrl = proxyUrl == null ? "" : proxyUrl;
    if (!proxyUrl.isEmpty()) {
      URI u;
      try {
        u = URI.create(proxyUrl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("proxy_url '" + proxyUrl + "' is not a URL");
      }
      if (!"http".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException("proxy_url must be http://host:port, got '" + proxyUrl + "'");
      }
    }
    followRedirects = followRedirects == null || followRedirects;
    enableHttp2 = enableHttp2 == null || enableHttp2;
    int credentials = (basicAuth != null ? 1 : 0) + (!bearerToken.isEmpty() || !bearerTokenFile.isEmpty() ? 1 : 0)
        + (authorization != null ? 1 : 0) + (oauth2 != null ? 1 : 0);
    if (credentials > 1) {
      throw new IllegalArgumentException(
          "at most one of basic_auth, oauth2, bearer_token/bearer_token_file and authorization must be configured");
    }
    if (!bearerToken.isEmpty() && !bearerTokenFile.isEmpty()) {
      throw new IllegalArgumentException("at most one of bearer_token and bearer_token_file must be configured");
    }
  }

  /** This config with {@code follow_redirects} set (blackbox_exporter's deprecated {@code no_follow_redirects}). */
  public HttpClientConfig withFollowRedirects(boolean follow) {
    return new HttpClientConfig(basicAuth, bearerToken, bearerTokenFile, authorization, oauth2, tlsConfig, proxyUrl,
        follow, enableHttp2);
  }

  /**
   * The Authorization header that {@code basic_auth}, {@code bearer_token(_file)} or
   * {@code authorization} give, or null for none (an {@code oauth2} token is the caller's to fetch).
   * Files are read at every call, so a rotated secret is used at the next request, as Prometheus does;
   * a file that cannot be read is an error naming the file, never its content.
   */
  public String authorizationHeader() throws IOException {
    if (basicAuth != null) {
      String password = basicAuth.passwordFile().isEmpty() ? basicAuth.password().value()
          : read(basicAuth.passwordFile(), "basic_auth password_file");
      return "Basic " + Base64.getEncoder().encodeToString(
          (basicAuth.username() + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    if (!bearerToken.isEmpty() || !bearerTokenFile.isEmpty()) {
      return "Bearer " + (bearerTokenFile.isEmpty() ? bearerToken.value() : read(bearerTokenFile, "bearer_token_file"));
    }
    if (authorization != null) {
      String credentials = authorization.credentialsFile().isEmpty() ? authorization.credentials().value()
          : read(authorization.credentialsFile(), "authorization credentials_file");
      return authorization.type() + " " + credentials;
    }
    return null;
  }

  /** A secret file's content without surrounding whitespace (Prometheus trims it too). */
  public static String read(String file, String field) throws IOException {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (NoSuchFileException e) {
      throw new IOException("cannot read " + field + " " + file + ": file does not exist", e);
    } catch (IOException e) {
      throw new IOException("cannot read " + field + " " + file + ": " + e.getMessage(), e);
    }
  }
}
