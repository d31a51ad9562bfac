package io.promsuite.exporter.common.config.http;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * {@code oauth2}: the OAuth 2.0 client-credentials grant, the token sent as
 * {@code Authorization: Bearer} on the client's requests.
 */
public record OAuth2(String clientId, Secret clientSecret, String clientSecretFile, List<String> scopes, String tokenUrl,
    Map<String, String> endpointParams, TlsConfig tlsConfig, String proxyUrl) {
  public OAuth2 {
    clientId = clientId == null ? "" : clientId;
    clientSecret = clientSecret == null ? Secret.NONE : clientSecret;
    clientSecretFile = clientSecretFile == null ? "" : clientSecretFile;
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
    tokenUrl = tokenUrl == null ? "" : tokenUrl;
    endpointParams = endpointParams == null ? Map.of() : Map.copyOf(endpointParams);
    tlsConfig = tlsConfig == null ? TlsConfig.DEFAULT : tlsConfig;
    proxyUrl = proxyUrl == null ? "" : proxyUrl;
    if (!clientSecret.isEmpty() && !clientSecretFile.isEmpty()) {
      throw new IllegalArgumentException("at most one of oauth2 client_secret & client_secret_file must be configured");
    }
    URI u;
    try {
      u = URI.create(tokenUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("oauth2 token_url '" + tokenUrl + "' is not a URL");
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
      throw new IllegalArgumentException("oauth2 token_url must be an http(s) URL, got '" + tokenUrl + "'");
    }
    if (!proxyUrl.isEmpty() && !proxyUrl.startsWith("http://")) {
      throw new IllegalArgumentException("oauth2 proxy_url must be http://host:port, got '" + proxyUrl + "'");
    }
  }
}
